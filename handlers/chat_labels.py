"""Display labels for complaint values (statuses, categories, grounds, channels, timeline actions).

Private to the chat handlers until the foundation's `nocert_core/domain/labels.py` exists; the msgids are
the same English words, so switching is a change of import.
"""

from __future__ import annotations

from nocert_core.i18n import N_, Translator

STATUS = {
    "registered": N_("registered, awaiting acceptance"),
    "accepted": N_("accepted, being handled"),
    "extended": N_("being handled (deadline extended)"),
    "resolved": N_("resolved"),
    "rejected": N_("not accepted"),
    "terminated": N_("terminated"),
    "transferred": N_("returned to the task force for routing"),
    "duplicate": N_("merged into an earlier complaint"),
}
CATEGORY = {
    "demanded_proof": N_("a proof was demanded although it is exempt"),
    "list_not_followed": N_("the exemption catalogue was not followed"),
    "verification_late": N_("materials were not verified in time"),
    "other": N_("other no-proof problem"),
}
REJECTION_GROUND = {
    "vague": N_("not specific enough to verify (Art.8 (1))"),
    "repeat": N_("already being handled, repeated maliciously (Art.8 (2))"),
    "litigation": N_("belongs to litigation, arbitration or reconsideration (Art.8 (3))"),
    "out_of_scope": N_("other: not about no-proof work (Art.8 (4))"),
}
TERMINATION_GROUND = {
    "withdrawn": N_("withdrawn by the complainant"),
    "other_proceedings": N_("the complainant started litigation, arbitration or reconsideration"),
    "other": N_("other reasons"),
}
CHANNEL = {
    "telegram": N_("Telegram"),
    "console": N_("console"),
    "hotline": N_("12345 hotline / phone"),
    "letter": N_("letter"),
    "fax": N_("fax"),
    "sms": N_("SMS"),
    "email": N_("e-mail"),
    "platform": N_("complaint platform"),
    "counter": N_("at the service counter"),
}
ACTION = {
    "register": N_("registered"),
    "route": N_("routed to the handling unit"),
    "accept": N_("accepted"),
    "reject": N_("not accepted"),
    "request_extension": N_("extension requested"),
    "approve_extension": N_("extension approved"),
    "deny_extension": N_("extension denied"),
    "resolve": N_("resolved"),
    "terminate": N_("terminated"),
    "return_misrouted": N_("returned as misrouted"),
    "mark_duplicate": N_("marked as duplicate"),
    "rate": N_("rated"),
    "view_phone": N_("phone number viewed"),
}


def label(t: Translator, table: dict[str, str], value: object) -> str:
    key = getattr(value, "value", value)
    msgid = table.get(str(key)) if key is not None else None
    return t(msgid) if msgid else str(key or "")
