"""`/web` in chat: staff and supervisors get a one-time sign-in link that opens a browser session once;
a citizen gets no link."""

from __future__ import annotations

import re

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.integration.chat_driver import ChatUser, add_units
from tests.integration.web_helpers import csrf_of, web_client

LINK = re.compile(r"https?://\S+/login/(\S+)")


async def test_staff_get_a_one_time_link_by_web_and_a_citizen_does_not(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    clerk = ChatUser(dispatcher, "4242")
    await clerk.send(f"/start {invite.code}")
    await clerk.send("/web")
    found = LINK.search(clerk.text)
    assert found, clerk.text
    token = found.group(1)
    async with web_client(app) as client:
        page = await client.get(f"/login/{token}")
        form = {"_csrf": csrf_of(await page.text()), "token": token}
        assert (await client.post("/login", data=form)).url.path == "/unit"
        page = await client.get(f"/login/{token}")  # signed in now: the form's token is the session's
        again = await client.post("/login", data={"_csrf": csrf_of(await page.text()), "token": token})
        assert again.status == 400
    citizen = ChatUser(dispatcher, "5151")
    await citizen.send("/web")
    assert not LINK.search(citizen.text)
