"""Guidance answers in words (chat and `nocert ask`): short, friendly, never more than the catalogue says."""

from __future__ import annotations

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import Answer, Intent
from nocert_core.i18n import N_, Translator

HOW = {
    ExemptionMode.ASSOCIATION: N_(
        "The unit fetches the e-licence itself by association (电子证照关联), so you do not need to bring it."
    ),
    ExemptionMode.DOWNLOAD_UPLOAD: N_(
        "Download it from 证明直通车 (爱山东 app) and upload it; no paper copy is needed."
    ),
    ExemptionMode.VERIFICATION: N_(
        "The unit verifies it directly with the issuing department (部门核验); you submit nothing."
    ),
    ExemptionMode.COMMITMENT: N_("Sign an informed commitment (告知承诺) instead of bringing it."),
    ExemptionMode.ABOLISHED: N_(
        "This proof has been abolished outright (直接取消); nobody may ask you for it."
    ),
    ExemptionMode.DATA_SHARING: N_(
        "The unit reads the data from another department's system (数据共享); you do not need to bring it."
    ),
}
SHORT = {
    ExemptionMode.ASSOCIATION: N_("fetched by the unit"),
    ExemptionMode.DOWNLOAD_UPLOAD: N_("download and upload via 证明直通车"),
    ExemptionMode.VERIFICATION: N_("verified between departments"),
    ExemptionMode.COMMITMENT: N_("informed commitment"),
    ExemptionMode.ABOLISHED: N_("abolished"),
    ExemptionMode.DATA_SHARING: N_("data shared between departments"),
}
MAX_LINES = 12
# An adjustment's type as a past participle: "2026-11-25 added: …" (the changes list, task-force notices).
ADJUSTMENT_KINDS = {"add": N_("added"), "change": N_("changed"), "cancel": N_("cancelled")}


def how(mode: ExemptionMode, t: Translator) -> str:
    return t(HOW[mode])


def render_answer(answer: Answer, t: Translator) -> str:
    if answer.intent == Intent.OUT_OF_AREA:
        return t(
            "The catalogue has no entry for {place}: it covers only the places of its own units. Please ask "
            "{place}'s own government service centre, or call 12345.",
            place=answer.place or "",
        )
    if answer.intent == Intent.CLARIFY:
        lines = [t("Several services fit your question. Which one do you mean?")]
        lines += [f"{n}. {c.name} ({c.unit})" for n, c in enumerate(answer.candidates, start=1)]
        return "\n".join(lines)
    if answer.intent == Intent.UNKNOWN and answer.service_not_listed:
        return _not_listed(answer, t)
    if answer.intent == Intent.UNKNOWN and answer.language == "en":
        return t(
            "Sorry, I could not match this English question to the catalogue. I answer which certificates "
            "you no longer need to bring for a government service. Please ask in Chinese, for example "
            "“补领驾驶证还要带户口本吗” (do I still need my hukou booklet to replace my driving licence?)."
        )
    if answer.intent == Intent.PAIR:
        return _pair(answer, t)
    if answer.intent == Intent.SERVICE:
        return _service(answer, t)
    if answer.intent == Intent.CERTIFICATE:
        return _certificate(answer, t)
    return t(
        "I can tell you which certificates and proofs you no longer need to bring under Weifang's "
        "No-Proof City catalogue. Ask me, for example:\n• 二手房过户还要带户口本吗\n"
        "• 结婚证在哪些地方可以不用带\n"
        "• 开饭店哪些材料不用交\nIf a unit still demands a proof the catalogue exempts, I can help you file "
        "a complaint."
    )


def _not_listed(answer: Answer, t: Translator) -> str:
    """A service asked about that the catalogue has no entry for: say so, never another service's rule."""
    if answer.certificate and answer.certificate_official:
        return t(
            "The catalogue has no entry for the service you asked about, so I cannot tell whether you still "
            "need {certificate} for it. Please ask the unit that handles it, or call 12345.",
            certificate=answer.certificate,
        )
    return t(
        "The catalogue has no entry for the service you asked about, so I cannot tell which proofs you no "
        "longer need for it. Please ask the unit that handles it, or call 12345."
    )


def _pair(answer: Answer, t: Translator) -> str:
    assert answer.service is not None
    entry = answer.pair_entry
    if entry is not None:
        lines = [
            t(
                "Good news: for {service} ({unit}) you no longer need to bring {certificate}.",
                service=entry.service,
                unit=entry.unit,
                certificate=entry.certificate,
            ),
            how(entry.mode, t),
            *_local(answer, t),
        ]
        if entry.notes:
            lines.append(t("Note: {notes}", notes=entry.notes))
        if entry.basis:
            lines.append(t("Basis: {basis}", basis=entry.basis))
        lines.append(t("If the unit still asks you for it, you can file a complaint."))
        return "\n".join(lines)
    lines = [
        t(
            "The catalogue does not exempt {certificate} for {service} ({unit}).",
            certificate=answer.certificate or "",
            service=answer.service.name,
            unit=answer.service.unit,
        )
        if answer.certificate_official
        else t(
            "The catalogue lists no proof like “{words}” as exempt for {service} ({unit}).",
            words=answer.certificate or "",
            service=answer.service.name,
            unit=answer.service.unit,
        ),
        t("Please ask {unit} whether you need to bring it.", unit=answer.service.unit),
        *_local(answer, t),
    ]
    if answer.matches:
        lines.append(t("It is exempt for these similar services:"))
        lines += [f"• {m.entry.service} ({m.entry.unit})" for m in answer.matches[:5]]
    return "\n".join(lines)


def _service(answer: Answer, t: Translator) -> str:
    assert answer.service is not None
    lines = [
        t(
            "For {service} ({unit}) you need not bring these {count} proofs:",
            service=answer.service.name,
            unit=answer.service.unit,
            count=answer.total_matches,
        )
    ]
    lines += [f"• {m.entry.certificate} — {t(SHORT[m.entry.mode])}" for m in answer.matches[:MAX_LINES]]
    if answer.total_matches > MAX_LINES:
        lines.append(t("… and {count} more.", count=answer.total_matches - MAX_LINES))
    return "\n".join([*lines, *_local(answer, t)])


def _local(answer: Answer, t: Translator) -> list[str]:
    """Whose rule an answer is, when only a district's unit lists the service and no place was named."""
    if answer.local_place is None:
        return []
    return [
        t(
            "This entry is {place}'s. If you apply elsewhere in the city, please check with the unit there "
            "first: the catalogue has no such entry for other places.",
            place=answer.local_place,
        )
    ]


def _certificate(answer: Answer, t: Translator) -> str:
    if not answer.matches:
        return t(
            "The catalogue does not list {certificate} as exempt for any service yet. Please ask the unit "
            "that handles your matter.",
            certificate=answer.certificate or "",
        )
    lines = [
        t(
            "You need not bring {certificate} for these {count} services:",
            certificate=answer.certificate or "",
            count=answer.total_matches,
        )
    ]
    lines += [
        f"• {m.entry.service} ({m.entry.unit}) — {t(SHORT[m.entry.mode])}" for m in answer.matches[:MAX_LINES]
    ]
    if answer.total_matches > MAX_LINES:
        lines.append(t("… and {count} more.", count=answer.total_matches - MAX_LINES))
    return "\n".join(lines)
