"""The web console's templates: every string they translate is in both catalogues, and they render no
inline script (the Content-Security-Policy allows scripts from the package's static folder only)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nocert_core.i18n import translator

TEMPLATES = Path(__file__).resolve().parents[3] / "bot" / "web" / "templates"
MSGID = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"')


def template_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        for match in MSGID.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), path.name)
    return found


def test_the_templates_have_strings_to_translate() -> None:
    assert len(template_msgids()) > 30


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_every_template_string_is_translated(locale: str) -> None:
    catalogue = translator(locale)
    missing = {msgid: where for msgid, where in template_msgids().items() if not catalogue.has(msgid)}
    assert not missing, missing


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    offenders = []
    for path in sorted(TEMPLATES.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        if re.search(r"\son[a-z]+=\"", text) or "javascript:" in text:
            offenders.append(f"{path.name}: inline handler")
    assert not offenders, offenders
