"""The few settings a read-only command needs, read the way `nocert_core.settings` reads them (the
environment, then `./.env`; names prefixed ``NOCERT_``, any case) without importing pydantic, which costs
more than the whole command (docs/startup.md). `Settings` takes its defaults from here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_LOCALE = "zh_Hans"
PREFIX = "NOCERT_"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("nocert", appauthor=False))


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{default_data_dir() / 'nocert.db'}"


def setting(name: str, env_file: Path = Path(".env")) -> str | None:
    """`NOCERT_<name>` from the environment, else from `env_file` (python-dotenv's reading, as
    pydantic-settings does); None when neither has it."""
    wanted = f"{PREFIX}{name}".lower()
    for key, value in os.environ.items():
        if key.lower() == wanted:
            return value
    if not env_file.is_file():
        return None
    from dotenv import dotenv_values

    for name_in_file, value_in_file in dotenv_values(env_file, encoding="utf-8").items():
        if name_in_file.lower() == wanted:
            return value_in_file
    return None


@dataclass(frozen=True)
class ReadSettings:
    """What a read-only CLI command needs: where the database is, the local time zone, the language."""

    database_url: str
    timezone: str = DEFAULT_TIMEZONE
    locale: str = DEFAULT_LOCALE


def read_settings() -> ReadSettings:
    return ReadSettings(
        database_url=setting("database_url") or default_database_url(),
        timezone=setting("timezone") or DEFAULT_TIMEZONE,
        locale=setting("locale") or DEFAULT_LOCALE,
    )
