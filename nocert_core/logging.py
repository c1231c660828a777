"""Logs never carry a phone number or an ID number in clear text: a filter masks them everywhere."""

from __future__ import annotations

import logging
import re

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")


def mask_sensitive(text: str) -> str:
    text = _ID_NUMBER.sub(r"\1********\2", text)
    text = _PHONE.sub(r"\1****\3", text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


class PrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_sensitive(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


_installed = False


def install_privacy_filter() -> None:
    """Attach to the root handlers and to every handler created later via the root logger's filter."""
    global _installed
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
