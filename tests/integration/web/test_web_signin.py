"""Web console sign-in: one-time links, sessions, sign-out, CSRF and the overview behind them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.errors import NotFound, PermissionDenied
from nocert_core.services.access.web_access import issue_web_link
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, register_at, seed, staff_actor
from tests.integration.web_helpers import csrf_of, form_token, sign_in, token_of, web_client


async def test_a_supervisor_signs_in_by_link_and_sees_the_overview_with_late_complaints(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    await register_at(app, clock, datetime(2026, 11, 10, 2, tzinfo=UTC), "KW-SPJ", accept=True)
    async with web_client(app) as client:
        landed = await sign_in(client, app, SUPERVISOR.ref)
        assert landed == "/tf"
        page = await (await client.get("/tf")).text()
        assert "TS-2026-000001" in page  # overdue since 17 Nov: 6 working days late on 25 Nov
        data = await (await client.get("/tf/overview.json")).json()
        assert data["counts"]["accepted"] == 1
        assert data["overdue"][0]["number"] == "TS-2026-000001"
        assert data["overdue"][0]["working_days_late"] == 6
        assert len(data["trend"]["x"]) == len(data["trend"]["series"][0]["values"])


async def test_a_sign_in_link_works_once_and_not_after_it_expires(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    async with web_client(app) as client:
        await sign_in(client, app, SUPERVISOR.ref)
    link = await issue_web_link(app.uow(), app.clock, CLI_ADMIN, SUPERVISOR.ref)
    async with web_client(app) as client:
        page = await client.get(f"/login/{token_of(link.url)}")
        form = {"_csrf": csrf_of(await page.text()), "token": token_of(link.url)}
        assert (await client.post("/login", data=form)).url.path == "/tf"
    async with web_client(app) as client:
        page = await client.get(f"/login/{token_of(link.url)}")
        again = await client.post(
            "/login", data={"_csrf": csrf_of(await page.text()), "token": token_of(link.url)}
        )
        assert again.status == 400
        assert (await client.get("/tf", allow_redirects=False)).status == 303
    late = await issue_web_link(app.uow(), app.clock, CLI_ADMIN, SUPERVISOR.ref)
    clock.advance(timedelta(minutes=app.settings.web_link_valid_minutes + 1))
    async with web_client(app) as client:
        page = await client.get(f"/login/{token_of(late.url)}")
        expired = await client.post(
            "/login", data={"_csrf": csrf_of(await page.text()), "token": token_of(late.url)}
        )
        assert expired.status == 400


async def test_signing_out_ends_the_session_and_the_cookie_is_httponly_and_samesite(app: Application) -> None:
    await seed(app)
    async with web_client(app) as client:
        link = await issue_web_link(app.uow(), app.clock, CLI_ADMIN, SUPERVISOR.ref)
        page = await client.get(f"/login/{token_of(link.url)}")
        response = await client.post(
            "/login",
            data={"_csrf": csrf_of(await page.text()), "token": token_of(link.url)},
            allow_redirects=False,
        )
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie
        stolen = client.session.cookie_jar.filter_cookies(client.make_url("/"))["nocert_session"].value
        token = await form_token(client, "/tf")
        assert (await client.post("/logout", data={"_csrf": token})).url.path == "/signin"
    async with web_client(app) as other:  # the old cookie, replayed after sign-out, opens nothing
        other.session.cookie_jar.update_cookies({"nocert_session": stolen})
        assert (await other.get("/tf", allow_redirects=False)).status == 303


async def test_a_form_without_the_right_csrf_token_is_refused(app: Application) -> None:
    await seed(app)
    async with web_client(app) as client:
        await sign_in(client, app, SUPERVISOR.ref)
        assert (await client.post("/logout", data={})).status == 403
        assert (await client.post("/logout", data={"_csrf": "forged"})).status == 403
        assert (await client.get("/tf")).status == 200  # still signed in


async def test_only_staff_and_supervisors_get_links_and_staff_do_not_see_the_overview(
    app: Application,
) -> None:
    await seed(app)
    with pytest.raises(NotFound):  # a citizen looks like nobody
        await issue_web_link(app.uow(), app.clock, CLI_ADMIN, CITIZEN.ref)
    with pytest.raises(PermissionDenied):  # only an admin makes links for others
        await issue_web_link(app.uow(), app.clock, staff_actor("KW-SPJ", 1), SUPERVISOR.ref)
    async with web_client(app) as client:
        landed = await sign_in(client, app, staff_actor("KW-SPJ", 1).ref)
        assert landed == "/unit"
        overview = await client.get("/tf")
        missing = await client.get("/tf/no-such-page")
        assert overview.status == missing.status == 404
        assert await overview.text() == await missing.text()
