"""Logs never carry a phone number, an ID number or the bot token in clear text: a filter masks them in
every record — its message, the exception text and traceback (SQL errors quote parameters), and stack info.

Names and facts cannot be recognised by a pattern, so SQL parameters are also kept out of exception text at
the source: engines are created with `hide_parameters=True` (nocert_core/adapters/sql/db.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# A number may follow a JSON escape (`\u53f7370702…` is "号370702…" as a driver logs JSON parameters).
_START = r"(?:(?<=\\u[0-9a-fA-F]{4})|(?<!\d))"
_PHONE = re.compile(_START + r"(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(_START + r"(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(_START + r"(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# A Telegram bot token (`123456789:AA…`), also inside a request URL (`/bot<token>/getUpdates`).
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED = "<redacted>"

_secrets: set[str] = set()


def mask_sensitive(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, REDACTED)
    text = _TOKEN.sub(REDACTED, text)
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _PHONE.sub(r"\1****\3", text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def add_secrets(values: Iterable[str | None]) -> None:
    """Exact values (the configured bot token) redacted from every log record from now on."""
    _secrets.update(value for value in values if value and len(value) >= 6)


class PrivacyFilter(logging.Filter):
    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_sensitive(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters use exc_text when it is set: the traceback is formatted once, here, masked.
            record.exc_text = mask_sensitive(self._formatter.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sensitive(record.stack_info)
        return True


_installed = False


def install_privacy_filter(secrets: Iterable[str | None] = ()) -> None:
    """Attach to the root handlers and to every handler created later via the root logger's filter."""
    global _installed
    add_secrets(secrets)
    if _installed:
        return
    _installed = True
    privacy = PrivacyFilter()
    root = logging.getLogger()
    root.addFilter(privacy)
    for handler in root.handlers:
        handler.addFilter(privacy)
    # Loggers below root do not pass through root's filters, so filter at the record factory instead.
    previous_factory = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous_factory(*args, **kwargs)
        privacy.filter(record)
        return record

    logging.setLogRecordFactory(factory)
