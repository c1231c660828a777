"""The access matrix (issue 10): every actor × every action on every kind of protected object, through a
chat channel (the Dispatcher, or aiogram / python-telegram-bot over the fake Bot API).

Objects: a citizen's complaint (A), a complaint a hotline unit registered for a caller and that another unit
handles (B), a verification request (V), a rectification notice (N), and for each kind a number that does
not exist (the "missing" twin). Actions: every callback shape of the codec that takes such a number, and
`/case`. Who may see an object is asked of the services themselves (`get_complaint`, `get_request`,
`get_notice`), so the matrix checks the chat against the rules, not against a copy of them.

- **leak**: an answer to an actor who may not see the object carries any of its secrets (name, phone, facts,
  applicant, data, issue), or the full phone goes to anyone but the handling unit and the task force.
- **oracle**: an answer to an actor who may not see the object differs from the answer about the missing
  twin (numbers replaced), i.e. the actor can tell that it exists or what state it is in.
- **change**: an action by an actor who may not see the object changed it (its audit trail grew).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.dialogs import callbacks
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.complaints import Channel
from nocert_core.errors import NotFound
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.services.complaints.handling import ComplaintDraft
from nocert_core.services.oversight import rectification as rect_service
from nocert_core.services.verification import requests as verification_service

PHONE_A, PHONE_B = "13805361234", "13905367788"
FACTS_A = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
FACTS_B = "2026年11月21日在奎文区政务服务中心办理营业执照变更，窗口要求开具房屋产权证明原件"
SECRETS = {
    "A": ("王芳", PHONE_A, "3号窗口办理食品经营许可"),
    "B": ("赵磊", PHONE_B, "营业执照变更"),
    "V": ("孙丽", "身份证号与户籍登记一致性"),
    "N": ("窗口仍要求提交婚姻状况证明",),
}
MISSING = {"A": "TS-2026-000099", "B": "TS-2026-000098", "V": "HC-2026-000099", "N": "ZG-2026-00099"}
ACTORS = {  # chat user id → (actor, name)
    "1001": (Actor("telegram:1001", Role.CITIZEN), "the complainant of A"),
    "1002": (Actor("telegram:1002", Role.CITIZEN), "another citizen"),
    "2001": (Actor("telegram:2001", Role.STAFF, unit_code="KW-SPJ"), "staff of the handling unit"),
    "2002": (Actor("telegram:2002", Role.STAFF, unit_code="WC-SPJ"), "staff of another unit"),
    "2003": (Actor("telegram:2003", Role.STAFF, unit_code="KW-GAJ"), "staff of the unit that registered B"),
    "3001": (Actor("telegram:3001", Role.SUPERVISOR), "the task force"),
}
PHONE_VIEWERS = {"2001", "3001"}  # the handling unit and the task force (each view audited)


@dataclass
class Objects:
    numbers: dict[str, str]  # "A" → "TS-2026-000001" …


@dataclass
class MatrixResult:
    cells: int = 0
    leaks: list[str] = field(default_factory=list)
    oracles: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    allowed_cells: int = 0


def actions_for(kind: str) -> list[str]:
    """Every callback shape taking this kind's number, as data templates with `{n}` for the number."""
    field_of = {
        "A": callbacks.COMPLAINT,
        "B": callbacks.COMPLAINT,
        "V": callbacks.REQUEST,
        "N": callbacks.NOTICE,
    }
    templates: list[str] = []
    for shape in callbacks.SHAPES:
        if not shape.fields or shape.fields[0] is not field_of[kind]:
            continue
        rest = {"rt": ["5"], "st": ["vague"], "sv": ["KW-SPJ"]}.get(shape.prefix, [])[: len(shape.fields) - 1]
        data = callbacks.encode(shape.prefix, shape.action, "{n}", *rest, step=shape.step)
        templates.append(data)
    if kind in ("A", "B"):
        templates.append("/case {n}")
    return templates


async def create_objects(app: Application) -> Objects:
    citizen = ACTORS["1001"][0]
    hotline = ACTORS["2003"][0]
    a = await complaint_service.register_complaint(
        app.uow(),
        app.clock,
        citizen,
        ComplaintDraft(
            "王芳", PHONE_A, "奎文区行政审批服务局", "不要再要求提交证明", "目录已免提交", FACTS_A
        ),
    )
    b = await complaint_service.register_complaint(
        app.uow(),
        app.clock,
        hotline,
        ComplaintDraft(
            "赵磊",
            PHONE_B,
            "奎文区行政审批服务局",
            "不要再要求原件",
            "可以部门核验",
            FACTS_B,
            Channel.HOTLINE,
        ),
    )
    v = await verification_service.create_request(
        app.uow(),
        app.clock,
        ACTORS["2001"][0],
        "WC-SPJ",
        "食品经营许可",
        "户口簿",
        "孙丽",
        "身份证号与户籍登记一致性",
    )
    n = await rect_service.issue_notice(
        app.uow(), app.clock, CLI_ADMIN, "KW-SPJ", "窗口仍要求提交婚姻状况证明", "立即停止索要", 10
    )
    return Objects({"A": a.number, "B": b.number, "V": v.number, "N": n.number})


async def may_see(app: Application, actor: Actor, kind: str, number: str) -> bool:
    try:
        if kind in ("A", "B"):
            await complaint_service.get_complaint(app.uow(), actor, number)
        elif kind == "V":
            await verification_service.get_request(app.uow(), app.clock, actor, number, "matrix")
        else:
            await rect_service.get_notice(app.uow(), actor, number)
    except NotFound:
        return False
    return True


async def history_length(app: Application, kind: str, number: str) -> int:
    async with app.uow() as uow:
        if kind in ("A", "B"):
            complaint = await uow.complaints.get_by_number(number)
            return len(complaint.audit) if complaint else 0
    return 0  # requests and notices: their views are audited too, so only complaints are compared


Press = Callable[[str, str], Awaitable[str]]  # (user id, data or "/command args") → the answer's text


async def run_matrix(app: Application, objects: Objects, press: Press) -> MatrixResult:
    """Denied cells first (objects as registered: awaiting acceptance), then allowed cells (which move the
    objects on: accepted, rejected, withdrawn …), then the denied cells again on the objects' new states."""
    result = MatrixResult()
    cells = [
        (user_id, actor, name, kind, number, await may_see(app, actor, kind, number))
        for user_id, (actor, name) in ACTORS.items()
        for kind, number in objects.numbers.items()
    ]
    denied = [cell for cell in cells if not cell[5]]
    allowed = [cell for cell in cells if cell[5]]
    for user_id, _, name, kind, number, may in [*denied, *allowed, *denied]:
        for template in actions_for(kind):
            result.cells += 1
            before = await history_length(app, kind, number)
            answer = await press(user_id, template.replace("{n}", number))
            label = f"{name} × {template} on {kind}"
            full_phone = PHONE_A in answer or PHONE_B in answer
            if full_phone and not (user_id in PHONE_VIEWERS and template.startswith("st:ph")):
                result.leaks.append(f"{label}: full phone")
            if may:
                result.allowed_cells += 1
                continue
            missing = await press(user_id, template.replace("{n}", MISSING[kind]))
            if any(secret in answer for secret in SECRETS[kind]):
                result.leaks.append(f"{label}: {answer[:160]!r}")
            if answer.replace(number, "N") != missing.replace(MISSING[kind], "N"):
                result.oracles.append(f"{label}: {answer[:120]!r} ≠ {missing[:120]!r}")
            if await history_length(app, kind, number) != before:
                result.changes.append(label)
    return result
