"""Phone numbers as complainants type them: checked against China's numbering plan and stored one way
(`normalise_phone`), shown masked where a full number is not needed (`mask_phone`)."""

from __future__ import annotations

import re
import unicodedata

from nocert_core.errors import ValidationFailed

_TYPED_PHONE = re.compile(r"^\+?[0-9\s()\-—－]+$")  # ASCII digits once NFKC made full-width ones ASCII
_HOTLINE = "12345"  # the citizens' service hotline, for complaints it forwards


def normalise_phone(raw: str) -> str:
    """A mainland number as we store it, checked by phonenumbers (China's numbering plan): a mobile as its 11
    digits (13812345678 from "+86 138 1234 5678" or full-width "１３８…"), a landline as area code and
    number (0536-1234567), a 400/800 service number as its digits; the 12345 hotline as is."""
    import phonenumbers  # its metadata load on first use: only when a phone number is typed

    typed = unicodedata.normalize("NFKC", raw).strip()  # １３８ → 138, － → -
    if not _TYPED_PHONE.match(typed):  # phonenumbers would read any script's digits (١٣٨ too)
        raise _not_a_phone()
    if re.sub(r"\D", "", typed) == _HOTLINE:
        return _HOTLINE
    try:
        number = phonenumbers.parse(typed.replace("—", "-").replace("－", "-"), "CN")
    except phonenumbers.NumberParseException:
        raise _not_a_phone() from None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise _not_a_phone()
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        area, _, rest = national.partition(" ")
        return f"{area}-{rest.replace(' ', '')}"
    return str(number.national_number)


def _not_a_phone() -> ValidationFailed:
    return ValidationFailed(
        "That is not a mainland mobile number (11 digits starting with 1) or a landline with area code "
        "(e.g. 0536-1234567)."
    )


def mask_phone(phone: str | None) -> str:
    """138****5678 — enough to recognise, not enough to call."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if len(digits) >= 11 else min(4, len(digits) - 4)
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]
