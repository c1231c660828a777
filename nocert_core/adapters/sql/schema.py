"""The whole schema, listed explicitly: every feature's table module and its mapper function.

Importing this module completes `metadata` (migrations, `create_all`); `start_mappers()` maps the domain
classes once per process. A new feature table module gets one line in `_MAPPERS`.
"""

from __future__ import annotations

from nocert_core.adapters.sql import (
    orm,
    tables_catalogue,
    tables_chat,
    tables_leases,
    tables_oversight,
    tables_verification,
    tables_web,
)

metadata = orm.metadata

_MAPPERS: tuple[orm.MapperFunction, ...] = (
    orm.map_tables,
    tables_chat.map_tables,
    tables_catalogue.map_tables,
    tables_oversight.map_tables,
    tables_verification.map_tables,
    tables_web.map_tables,
    tables_leases.map_tables,
)
_started = False


def start_mappers() -> None:
    """Map the domain classes once per process (idempotent)."""
    global _started
    if _started:
        return
    _started = True
    for map_tables in _MAPPERS:
        map_tables(orm.mapper_registry)
