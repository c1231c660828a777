"""Checking a free-text field, so "required" and "too long" read the same everywhere.

`field` is the field's label msgid (marked with N_ by the caller, e.g. N_("Phone")); channels translate it
along with the message (see nocert_core/errors.py).
"""

from __future__ import annotations

from nocert_core.domain.text_safety import checked_text
from nocert_core.errors import ValidationFailed


def checked_length(text: str, field: str, max_length: int, *, min_length: int = 1) -> str:
    """`text` (already stripped or normalised) if its length is within bounds and it has no control,
    direction-override or only-invisible characters (domain/text_safety.py), else ValidationFailed."""
    checked_text(text)
    if len(text) < min_length:
        raise ValidationFailed("The field {field} is required.", field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            "The field {field} is longer than {limit} characters.", field=field, limit=max_length
        )
    return text
