"""Every web route against every kind of visitor: nothing leaks, and "not allowed" is byte-for-byte the
page of "does not exist". Role filters are the chat's (bot/web/guards.py), row checks the services'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp.test_utils import TestClient

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.verification import requests as verification_service
from tests.integration.oversight_helpers import SUPERVISOR, register_at, seed, staff_actor
from tests.integration.web_helpers import form_token, sign_in, web_client

OWNER = staff_actor("KW-SPJ", 1)  # the handling unit of the complaint and the notice; requests verification
ISSUER = staff_actor("GX-GAJ", 3)  # the unit asked to verify
OTHER = staff_actor("WC-BDC", 2)  # a third unit: must see none of it
PHONE = "13805361234"


@dataclass
class World:
    complaint: str
    notice: str
    request: str


async def _world(app: Application, clock: FixedClock) -> World:
    await seed(app)
    complaint = await register_at(app, clock, datetime(2026, 11, 20, 2, tzinfo=UTC), "KW-SPJ", accept=True)
    notice = await rect.issue_notice(app.uow(), clock, SUPERVISOR, "KW-SPJ", "仍要求提交证明", "立即整改", 5)
    request = await verification_service.create_request(
        app.uow(), clock, OWNER, "GX-GAJ", "食品经营许可", "无犯罪记录证明", "王芳", "身份证号 370702…"
    )
    return World(complaint.number, notice.number, request.number)


def _pages(world: World) -> dict[str, tuple[str, str]]:
    """route → (the path of a real thing, the same path for a thing that does not exist)."""
    return {
        "complaint": (f"/complaints/{world.complaint}", "/complaints/TS-2026-999999"),
        "notice": (f"/notices/{world.notice}", "/notices/ZG-2026-99999"),
        "verification": (f"/verifications/{world.request}", "/verifications/HC-2026-999999"),
    }


ACTIONS = (
    "accept",
    "reject",
    "return",
    "extend",
    "resolve",
    "duplicate",
    "phone",
    "route",
    "decide-extension",
)
TASK_FORCE_PAGES = ("/tf", "/tf/overview.json", "/tf/routing", "/tf/scorecards")


async def _body(
    client: TestClient, method: str, path: str, data: dict[str, str] | None = None
) -> tuple[int, str]:
    response = await client.request(method, path, data=data, allow_redirects=False)
    return response.status, await response.text()


async def _denied_like_missing(client: TestClient, world: World, denied: set[str]) -> None:
    for name, (real, missing) in _pages(world).items():
        got, expected = await _body(client, "GET", real), await _body(client, "GET", missing)
        if name in denied:
            assert got == expected and got[0] == 404, name
        else:
            assert got[0] == 200, name
            assert PHONE not in got[1], name  # the full phone is never on a page without an audited request


async def test_a_clerk_of_another_unit_sees_nothing_of_it_and_cannot_act(
    app: Application, clock: FixedClock
) -> None:
    world = await _world(app, clock)
    async with web_client(app) as client:
        await sign_in(client, app, OTHER.ref)
        await _denied_like_missing(client, world, {"complaint", "notice", "verification"})
        token = await form_token(client, "/unit")
        missing_action = await _body(client, "POST", "/complaints/TS-2026-999999/accept", {"_csrf": token})
        for action in ACTIONS:
            got = await _body(
                client, "POST", f"/complaints/{world.complaint}/{action}", {"_csrf": token, "result": "x"}
            )
            assert got == missing_action, action
        for action in ("report", "accept", "return", "confirm"):
            got = await _body(
                client, "POST", f"/notices/{world.notice}/{action}", {"_csrf": token, "report": "x"}
            )
            assert got[0] == 404, action
        for page in TASK_FORCE_PAGES:
            assert (await _body(client, "GET", page))[0] == 404, page
        issued = await _body(
            client, "POST", "/notices", {"_csrf": token, "unit": "WC-BDC", "issue": "x", "requirement": "y"}
        )
        assert issued[0] == 404
        for listing in ("/unit", "/register", "/register?unit=KW-SPJ", "/notices", "/verifications"):
            status, text = await _body(client, "GET", listing)
            assert status == 200 and world.complaint not in text and world.notice not in text
            assert world.request not in text, listing
        workbook = await client.get("/register.xlsx?unit=KW-SPJ")
        assert world.complaint.encode() not in await workbook.read()
    stored = await rect.get_notice(app.uow(), SUPERVISOR, world.notice)
    assert [row.action for row in stored.audit] == ["issue"]


async def test_the_owning_units_see_their_own_and_the_task_force_sees_all(
    app: Application, clock: FixedClock
) -> None:
    world = await _world(app, clock)
    async with web_client(app) as client:
        await sign_in(client, app, OWNER.ref)
        await _denied_like_missing(client, world, set())
        assert world.complaint in (await _body(client, "GET", "/unit"))[1]
        for page in TASK_FORCE_PAGES:
            assert (await _body(client, "GET", page))[0] == 404, page
    async with web_client(app) as client:  # the issuing unit: the request, not the complaint or the notice
        await sign_in(client, app, ISSUER.ref)
        await _denied_like_missing(client, world, {"complaint", "notice"})
    async with web_client(app) as client:
        await sign_in(client, app, SUPERVISOR.ref)
        await _denied_like_missing(client, world, set())
        for page in TASK_FORCE_PAGES:
            assert (await _body(client, "GET", page))[0] == 200, page


async def test_an_anonymous_visitor_is_sent_to_sign_in_alike_for_real_and_missing_things(
    app: Application, clock: FixedClock
) -> None:
    world = await _world(app, clock)
    async with web_client(app) as client:
        for real, missing in _pages(world).values():
            got, expected = await _body(client, "GET", real), await _body(client, "GET", missing)
            assert got == expected and got[0] == 303
        for page in (*TASK_FORCE_PAGES, "/unit", "/register", "/register.xlsx", "/notices", "/verifications"):
            response = await client.get(page, allow_redirects=False)
            assert response.status == 303 and response.headers["Location"] == "/signin", page
        public = await _body(client, "GET", "/guide")
        assert public[0] == 200
        token = await form_token(client, "/login/any")  # an anonymous browser's valid CSRF token
        refused = await _body(client, "POST", f"/complaints/{world.complaint}/accept", {"_csrf": token})
        assert refused[0] == 303  # to sign in; nothing was done


async def test_only_the_issuing_unit_answers_a_verification_request_in_the_browser(
    app: Application, clock: FixedClock
) -> None:
    world = await _world(app, clock)
    page = f"/verifications/{world.request}"
    async with web_client(app) as client:
        await sign_in(client, app, OTHER.ref)
        token = await form_token(client, "/unit")
        for action in ("accept", "verify", "return", "withdraw"):
            got = await _body(client, "POST", f"{page}/{action}", {"_csrf": token, "result": "consistent"})
            assert got[0] == 404, action
    async with web_client(app) as client:
        await sign_in(client, app, ISSUER.ref)
        html = (await _body(client, "GET", page))[1]
        assert 'id="form-verify"' in html and 'id="form-withdraw"' not in html
        token = await form_token(client, page)
        answered = await client.post(f"{page}/verify", data={"_csrf": token, "result": "consistent"})
        assert answered.status == 200 and "与记录一致" in await answered.text()
    stored = await verification_service.get_request(app.uow(), clock, SUPERVISOR, world.request)
    assert stored.status.value == "verified"
    async with app.uow() as uow:
        told = [m for m in await uow.outbox.pending(limit=100) if m.kind.startswith("verification")]
    assert any(m.payload.get("result") == "consistent" for m in told)
