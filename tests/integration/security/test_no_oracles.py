"""What a caller may not see answers exactly like what does not exist (issue 10 #3), and the unit that
registered a caller's complaint keeps a read-only view after it is routed elsewhere (issue 10 #9)."""

from __future__ import annotations

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from tests.integration.chat_driver import ChatUser, add_units
from tests.integration.complaints.test_chat_staff import bound, filed

MINE, MISSING = "TS-2026-000001", "TS-2026-000099"


def _same_answer(first: str, second: str) -> bool:
    return first.replace(MINE, "N").replace(MISSING, "N") == second.replace(MINE, "N").replace(MISSING, "N")


async def _press_both(user: ChatUser, action: str) -> tuple[str, str]:
    await user.press_data(f"st:{action}:{MINE}")
    existing = user.text
    await user.send("/cancel")
    await user.press_data(f"st:{action}:{MISSING}")
    missing = user.text
    await user.send("/cancel")
    return existing, missing


async def test_staff_of_another_unit_cannot_tell_an_awaiting_complaint_from_a_missing_one(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    await filed(app, dispatcher)  # KW-SPJ's complaint, waiting for acceptance
    outsider = await bound(app, dispatcher, "2002", Role.STAFF, "WC-SPJ")
    for action in ("acc", "rej", "res", "ret", "ext", "dup", "ph", "case"):
        existing, missing = await _press_both(outsider, action)
        assert _same_answer(existing, missing), (action, existing, missing)
        assert "No complaint" in existing, (action, existing)
    async with app.uow() as uow:
        complaint = await uow.complaints.get_by_number(MINE)
        assert complaint is not None and complaint.status == ComplaintStatus.REGISTERED
        assert [entry.action for entry in complaint.audit] == ["register"]


async def test_a_duplicate_cannot_link_to_a_complaint_the_staff_cannot_see(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    await filed(app, dispatcher)  # TS-…001 for KW-SPJ
    await filed(app, dispatcher, agency="潍城区行政审批服务局")  # TS-…002 for WC-SPJ
    wc_staff = await bound(app, dispatcher, "2002", Role.STAFF, "WC-SPJ")
    await wc_staff.press_data("st:dup:TS-2026-000002")
    await wc_staff.send(MINE)
    hidden = wc_staff.text
    await wc_staff.press_data("st:dup:TS-2026-000002")
    await wc_staff.send(MISSING)
    assert _same_answer(hidden, wc_staff.text) and "No complaint" in hidden
    async with app.uow() as uow:
        second = await uow.complaints.get_by_number("TS-2026-000002")
        assert second is not None and second.duplicate_of_id is None


async def test_the_unit_that_registered_a_phone_complaint_keeps_a_read_only_view_after_routing(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    hotline = await bound(app, dispatcher, "2003", Role.STAFF, "KW-GAJ")
    await hotline.send("/register")
    await hotline.press("hotline")
    for answer in ("张伟", "13905361234", "奎文区行政审批服务局", "不要再开证明", "目录已免提交"):
        await hotline.send(answer)
    await hotline.send("2026年11月20日在奎文区政务服务中心办理营业执照，窗口要求开具无犯罪记录证明")
    await hotline.press("For the caller")
    await hotline.press("Submit")
    assert f"Registered as {MINE}" in hotline.text
    await hotline.send(f"/case {MINE}")
    assert "Read only" in hotline.text and "139****1234" in hotline.text
    assert not [button for reply in hotline.last for row in reply.buttons for button in row]
    await hotline.press_data(f"st:acc:{MINE}")
    assert "not allowed" in hotline.text
    await hotline.press_data(f"st:ph:{MINE}")
    assert "13905361234" not in hotline.text
    await hotline.send("/queue")
    assert MINE not in hotline.text  # the queue is the unit's own work
    async with app.uow() as uow:
        complaint = await uow.complaints.get_by_number(MINE)
        assert complaint is not None and complaint.status == ComplaintStatus.REGISTERED
