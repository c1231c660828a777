"""Read-only commands read their few settings without pydantic (nocert_core/env.py): they must read what
`Settings` reads from the same environment and `.env`."""

from __future__ import annotations

from pathlib import Path

import pytest

from nocert_core.env import read_settings, setting
from nocert_core.settings import Settings


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("NOCERT_DATABASE_URL", "NOCERT_TIMEZONE", "NOCERT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def same_as_pydantic() -> None:
    light, full = read_settings(), Settings()
    assert light.database_url == full.database_url
    assert (light.timezone, light.locale) == (full.timezone, full.locale)


def test_the_defaults_are_the_settings_defaults(here: Path) -> None:
    same_as_pydantic()
    assert read_settings().database_url.endswith("nocert.db")


def test_dotenv_values_are_read_as_pydantic_reads_them(here: Path) -> None:
    (here / ".env").write_text(
        "# a comment\n"
        'NOCERT_DATABASE_URL="sqlite+aiosqlite:///data/x.db"\n'
        "export NOCERT_TIMEZONE=Asia/Urumqi\n"
        "nocert_locale='en'  # lower case works too\n",
        encoding="utf-8",
    )
    same_as_pydantic()
    assert read_settings().timezone == "Asia/Urumqi" and read_settings().locale == "en"


def test_the_environment_wins_over_dotenv_in_any_case(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / ".env").write_text("NOCERT_TIMEZONE=Asia/Urumqi\n", encoding="utf-8")
    monkeypatch.setenv("nocert_timezone", "Europe/Berlin")
    same_as_pydantic()
    assert setting("timezone") == "Europe/Berlin"
