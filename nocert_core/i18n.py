"""gettext catalogues from `locales/<locale>/LC_MESSAGES/*.po`.

Each feature owns one domain (one .po file per locale); all domains of a locale are merged into one
lookup. The .po files are read with Babel at start-up, so there is no compile step to forget.
msgids are the English text; `en` catalogues are complete so English never depends on a fallback.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

DEFAULT_LOCALE = "zh_Hans"
SUPPORTED_LOCALES = ("zh_Hans", "en")


def locales_dir() -> Path:
    configured = os.environ.get("NOCERT_LOCALES_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "locales"


def N_(message: str) -> str:  # the conventional gettext marker name
    """Mark a string for extraction without translating it here."""
    return message


def normalise_locale(code: str | None) -> str:
    """Map what Telegram or a user says ("zh-hans", "zh-CN", "en-US") to a supported locale."""
    if not code:
        return DEFAULT_LOCALE
    lowered = code.replace("-", "_").lower()
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


class Translator:
    def __init__(self, locale: str, messages: dict[str, str]) -> None:
        self.locale = locale
        self._messages = messages

    def gettext(self, msgid: str, **params: Any) -> str:
        text = self._messages.get(msgid) or msgid
        return text.format(**params) if params else text

    __call__ = gettext

    def has(self, msgid: str) -> bool:
        return bool(self._messages.get(msgid))


@lru_cache(maxsize=8)
def translator(locale: str | None = None) -> Translator:
    code = normalise_locale(locale) if locale not in SUPPORTED_LOCALES else locale
    assert code is not None
    messages: dict[str, str] = {}
    folder = locales_dir() / code / "LC_MESSAGES"
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code.replace("_Hans", ""))
        for message in catalog:
            if (
                message.id
                and isinstance(message.id, str)
                and isinstance(message.string, str)
                and message.string
            ):
                messages[message.id] = message.string
    return Translator(code, messages)


def gettext(msgid: str, locale: str | None = None, **params: Any) -> str:
    return translator(locale).gettext(msgid, **params)
