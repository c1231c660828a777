"""Numbers a regulation fixes come from the settings: a renewed regulation changes settings, not code."""

from __future__ import annotations

from types import SimpleNamespace

from handlers.renderers import render
from handlers.start.menu import _welcome
from nocert_core.domain.actors import Role
from nocert_core.i18n import translator
from nocert_core.services.catalogue.filing import KIND_FILED
from nocert_core.settings import Settings


def citizen_context(handling_days: int, locale: str) -> SimpleNamespace:
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:", handling_working_days=handling_days)
    return SimpleNamespace(
        actor=SimpleNamespace(role=Role.CITIZEN),
        account=SimpleNamespace(display_name="王芳"),
        app=SimpleNamespace(settings=settings),
        t=translator(locale),
    )


def test_the_welcome_states_the_handling_time_limit_from_the_settings() -> None:
    assert "within 7 working days" in _welcome(citizen_context(7, "en"))  # type: ignore[arg-type]
    assert "须在5个工作日内办结" in _welcome(citizen_context(5, "zh_Hans"))  # type: ignore[arg-type]


def test_a_late_filing_names_the_filing_time_limit_it_was_judged_by() -> None:
    payload = {
        "unit_name": "市场监管局",
        "service": "食品经营许可",
        "certificate": "无犯罪记录证明",
        "type": "add",
        "basis": "新法规",
        "event_date": "2026-11-20",
        "due_date": "2026-11-24",
        "late": True,
        "filing_days": 4,
    }
    text = render(KIND_FILED, payload, translator("en")).text
    assert "more than 4 working days after the event" in text
