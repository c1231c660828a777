"""Imports every feature's table module so `metadata` is complete (migrations, create_all)."""

from __future__ import annotations
import nocert_core.adapters.tables_chat  # noqa: F401, E402
import nocert_core.adapters.tables_catalogue  # noqa: F401
import nocert_core.adapters.tables_oversight  # noqa: F401
import nocert_core.adapters.tables_verification  # noqa: F401
