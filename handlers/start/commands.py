"""The command list per role, for Telegram's setMyCommands (both languages) and for /help."""

from __future__ import annotations

from nocert_core.domain.actors import Role
from nocert_core.i18n import N_, translator

_CITIZEN = [
    ("start", N_("Start: what this bot does")),
    ("menu", N_("Main menu")),
    ("complain", N_("File a complaint about a demanded proof")),
    ("my", N_("My complaints")),
    ("help", N_("Help")),
    ("lang", N_("Language / 语言")),
    ("cancel", N_("Cancel what you are doing")),
]
_STAFF = [
    ("queue", N_("Open complaints of my unit, by deadline")),
    ("case", N_("Open a complaint: /case NUMBER")),
    ("register", N_("Register a complaint received by phone, letter or at the counter")),
    ("verify", N_("Ask another unit to verify a proof (R2)")),
    ("requests", N_("Open verification requests of my unit")),
    ("menu", N_("Main menu")),
    ("help", N_("Help")),
    ("lang", N_("Language / 语言")),
    ("cancel", N_("Cancel what you are doing")),
]
_SUPERVISOR = [
    ("unrouted", N_("Complaints waiting to be routed")),
    ("queue", N_("All open complaints, by deadline")),
    ("case", N_("Open a complaint: /case NUMBER")),
    ("overdue", N_("Complaints past or near their deadline")),
    ("stats", N_("Statistics for this week and month")),
    ("requests", N_("Open verification requests between units")),
    ("register", N_("Register a complaint received by phone, letter or at the counter")),
    ("menu", N_("Main menu")),
    ("help", N_("Help")),
    ("lang", N_("Language / 语言")),
    ("cancel", N_("Cancel what you are doing")),
]


def bot_commands(locale: str, role: Role) -> list[tuple[str, str]]:
    """(command, description) pairs in `locale` for a user with `role`."""
    if role == Role.STAFF:
        chosen = _STAFF
    elif role in (Role.SUPERVISOR, Role.ADMIN):
        chosen = _SUPERVISOR
    else:
        chosen = _CITIZEN
    t = translator(locale)
    return [(command, t(description)) for command, description in chosen]
