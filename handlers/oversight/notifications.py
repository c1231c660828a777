"""Renderers for the oversight feature's outbox kinds: alerts, rectification notices, hotspots,
the daily digest and the weekly report (text, chart photos, workbook)."""

from __future__ import annotations

from pathlib import Path

from handlers.dispatch.notifications import Renderers
from handlers.types import Attachment, Button, Reply
from nocert_core.domain import notifications as notes
from nocert_core.domain.notifications import (
    ComplaintAlert,
    DailyDigest,
    HotspotAlert,
    RectificationCard,
    ReportFile,
    WeeklyReport,
)
from nocert_core.i18n import Translator

renderer = Renderers()


@renderer("alert.acceptance_pending")
def acceptance_pending(alert: ComplaintAlert, t: Translator) -> Reply:
    days = 1 if alert.working_days is None else alert.working_days
    return Reply(
        t.ngettext(
            "⏰ Complaint {number} has waited more than {days} working day for acceptance ({unit}). "
            "Please accept or reject it: /case {number}",
            "⏰ Complaint {number} has waited more than {days} working days for acceptance ({unit}). "
            "Please accept or reject it: /case {number}",
            days,
            number=alert.number,
            days=days,
            unit=alert.unit,
        )
    )


@renderer("alert.routing_pending")
def routing_pending(alert: ComplaintAlert, t: Translator) -> Reply:
    days = 1 if alert.working_days is None else alert.working_days
    return Reply(
        t.ngettext(
            "⏰ Complaint {number} has no handling unit after {days} working day. Please route it: "
            "/case {number}",
            "⏰ Complaint {number} has no handling unit after {days} working days. Please route it: "
            "/case {number}",
            days,
            number=alert.number,
            days=days,
        )
    )


@renderer("alert.due_soon")
def due_soon(alert: ComplaintAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "⏳ Complaint {number} is due on {deadline} ({unit}). Please finish it in time or request an "
            "extension: /case {number}",
            number=alert.number,
            deadline=alert.deadline,
            unit=alert.unit,
        )
    )


@renderer("alert.overdue")
def overdue(alert: ComplaintAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "🔴 Complaint {number} is overdue: the deadline was {deadline} ({unit}). /case {number}",
            number=alert.number,
            deadline=alert.deadline,
            unit=alert.unit,
        )
    )


@renderer("alert.escalation")
def escalation(alert: ComplaintAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "🚨 SERIOUS: complaint {number} is {days} working days past its deadline of {deadline} ({unit}). "
            "The task force should intervene. /case {number}",
            number=alert.number,
            days="" if alert.working_days is None else alert.working_days,
            deadline=alert.deadline,
            unit=alert.unit,
        )
    )


@renderer("alert.extension_undecided")
def extension_undecided(alert: ComplaintAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "⏰ The extension request for complaint {number} ({days} working days, {unit}) is still "
            "undecided. Please approve or deny it: /case {number}",
            number=alert.number,
            days=alert.days or "?",
            unit=alert.unit,
        )
    )


def _notice_text(card: RectificationCard, t: Translator) -> str:
    return t(
        "Notice {notice} to {unit}\nIssue: {issue}\nRequirement: {requirement}\nDeadline: {deadline}",
        notice=card.notice,
        unit=card.unit,
        issue=card.issue,
        requirement=card.requirement,
        deadline=card.deadline,
    )


def _report_button(card: RectificationCard, t: Translator) -> list[list[Button]]:
    return [[Button(t("Report rectification"), f"rect:report:{card.notice}")]]


@renderer(notes.RECTIFICATION_ISSUED)
def rectification_issued(card: RectificationCard, t: Translator) -> Reply:
    text = t("📋 The task force issued a rectification notice (R4 Art.8).") + "\n" + _notice_text(card, t)
    text += "\n" + t("Please rectify and report before the deadline.")
    return Reply(text, buttons=_report_button(card, t))


@renderer(notes.RECTIFICATION_RETURNED)
def rectification_returned(card: RectificationCard, t: Translator) -> Reply:
    text = t(
        "↩️ Rectification notice {notice} was sent back: {reason}\nNew deadline: {deadline}",
        notice=card.notice,
        reason=card.reason or "",
        deadline=card.deadline,
    )
    return Reply(text, buttons=_report_button(card, t))


@renderer(notes.RECTIFICATION_REPORTED)
def rectification_reported(card: RectificationCard, t: Translator) -> Reply:
    timing = t("on time") if card.on_time else t("late")
    text = t(
        "📨 {unit} reported on rectification notice {notice} ({timing}):\n{report}",
        unit=card.unit,
        notice=card.notice,
        timing=timing,
        report=card.report,
    )
    notice = card.notice
    return Reply(
        text,
        buttons=[
            [Button(t("Accept"), f"rect:accept:{notice}"), Button(t("Send back"), f"rect:return:{notice}")]
        ],
    )


@renderer(notes.RECTIFICATION_ACCEPTED)
def rectification_accepted(card: RectificationCard, t: Translator) -> Reply:
    return Reply(
        t(
            "✅ The task force accepted your rectification for notice {notice}. A follow-up check is planned "
            "around {follow_up}.",
            notice=card.notice,
            follow_up=card.follow_up,
        )
    )


@renderer(notes.RECTIFICATION_DUE_SOON)
def rectification_due_soon(card: RectificationCard, t: Translator) -> Reply:
    text = t("⏳ Reminder: the rectification report is due on {deadline}.", deadline=card.deadline)
    text += "\n" + _notice_text(card, t)
    return Reply(text, buttons=_report_button(card, t))


@renderer(notes.RECTIFICATION_OVERDUE)
def rectification_overdue(card: RectificationCard, t: Translator) -> Reply:
    return Reply(
        t(
            "🔴 Rectification notice {notice} to {unit} is overdue: no report by {deadline}.",
            notice=card.notice,
            unit=card.unit,
            deadline=card.deadline,
        )
    )


@renderer(notes.RECTIFICATION_FOLLOW_UP)
def rectification_follow_up(card: RectificationCard, t: Translator) -> Reply:
    notice = card.notice
    return Reply(
        t(
            "🔁 Follow-up check (回头看) due for rectification notice {notice} to {unit}: {issue}",
            notice=notice,
            unit=card.unit,
            issue=card.issue,
        ),
        buttons=[
            [
                Button(t("Fixed for good"), f"rect:confirm:{notice}"),
                Button(t("Problem is back"), f"rect:reopen:{notice}"),
            ]
        ],
    )


@renderer("hotspot.unit")
def hotspot_unit(spot: HotspotAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "🔥 Hotspot: {unit} received {count} complaints in {days} days: {numbers}",
            unit=spot.subject,
            count=spot.count,
            days=spot.window_days,
            numbers=", ".join(spot.numbers),
        )
    )


@renderer("hotspot.topic")
def hotspot_topic(spot: HotspotAlert, t: Translator) -> Reply:
    return Reply(
        t(
            "🔥 Recurring topic: “{topic}” appears in {count} complaints about {units} in {days} days: "
            "{numbers}",
            topic=spot.subject,
            count=spot.count,
            units="、".join(spot.units),
            days=spot.window_days,
            numbers=", ".join(spot.numbers),
        )
    )


@renderer("digest.daily")
def daily_digest(digest: DailyDigest, t: Translator) -> Reply:
    lines = [
        t(
            "📊 Daily digest {day}: {new} new, {due_today} due today, {overdue} overdue.",
            day=digest.day,
            new=digest.new,
            due_today=digest.due_today,
            overdue=digest.overdue,
        )
    ]
    for row in digest.units:
        lines.append(
            t(
                "• {unit}: {new} new, {due_today} due today, {overdue} overdue",
                unit=row.name or row.code or t("(not routed)"),
                new=row.new,
                due_today=row.due_today,
                overdue=row.overdue,
            )
        )
    if not digest.units:
        lines.append(t("Nothing needs attention."))
    return Reply("\n".join(lines))


@renderer("report.weekly")
def weekly_report(summary: WeeklyReport, t: Translator) -> Reply:
    lines = [
        t(
            "📈 Weekly report {start} – {end}: {received} received, {resolved} resolved, "
            "on-time rate {on_time}, {overdue} overdue now.",
            start=summary.start,
            end=summary.end,
            received=summary.received,
            resolved=summary.resolved,
            on_time=summary.on_time,
            overdue=summary.overdue,
        )
    ]
    if summary.unreachable:
        lines.append(t("Cannot be reached: {names}", names="、".join(summary.unreachable)))
    return Reply("\n".join(lines))


@renderer("report.file")
def report_file(file: ReportFile, t: Translator) -> Reply:
    kind = "photo" if file.kind == "photo" else "document"
    caption = t(file.caption) if file.caption else ""  # a msgid marked with N_() where the row is written
    return Reply(caption, attachment=Attachment(Path(file.path), kind=kind, caption=caption))
