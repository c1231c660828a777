"""Text we refuse to store: control characters (NUL breaks PostgreSQL text columns for good), characters
that reverse the display direction (U+202E makes "gpj.exe" read as "exe.jpg"), lone surrogates (not
encodable), and answers made only of invisible characters (a "name" of zero-width spaces).

`unsafe_reason(text)` gives the msgid that explains the refusal, or None. The chat dispatcher checks every
typed text at the edge; `checked_text` (and so every service's field check) refuses the same, so no path —
chat, CLI, import — stores such text.
"""

from __future__ import annotations

import re
import unicodedata

from nocert_core.errors import ValidationFailed
from nocert_core.i18n import N_

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # fillers and the blank braille pattern

CONTROL_MSGID = N_(
    "Your message contains control characters (such as NUL) that cannot be stored. "
    "Please type it again without them."
)
DIRECTION_MSGID = N_(
    "Your message contains characters that reverse the text direction (such as U+202E). "
    "Please type it again without them."
)
INVISIBLE_MSGID = N_("Your message contains only invisible characters. Please type your answer.")


def unsafe_reason(text: str) -> str | None:
    if not text:
        return None
    if _CONTROL.search(text):
        return CONTROL_MSGID
    if _DIRECTION.search(text):
        return DIRECTION_MSGID
    if all(_invisible(character) for character in text):
        return INVISIBLE_MSGID
    return None


def _invisible(character: str) -> bool:
    return (
        character.isspace()
        or character in _BLANK_LETTERS
        or unicodedata.category(character) in _INVISIBLE_CATEGORIES
    )


def checked_text(text: str) -> str:
    """`text` unchanged, or ValidationFailed with the reason."""
    reason = unsafe_reason(text)
    if reason is not None:
        raise ValidationFailed(reason)
    return text
