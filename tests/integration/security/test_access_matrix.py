"""The access matrix over the transport-neutral dialogs (both database backends): every actor × every action
on every kind of protected object — 0 leaks, 0 oracles, 0 changes by those who may not see it. The same
matrix runs over aiogram and python-telegram-bot in tests/e2e/conversations/test_access_matrix_telegram.py."""

from __future__ import annotations

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.access_matrix import ACTORS, create_objects, run_matrix
from tests.integration.chat_driver import ChatUser, add_units


async def test_every_actor_and_action_leaks_nothing_and_reveals_nothing(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    users: dict[str, ChatUser] = {}
    for user_id, (actor, _) in ACTORS.items():
        users[user_id] = ChatUser(dispatcher, user_id)
        if actor.role != Role.CITIZEN:
            invite = await create_invite(
                app.uow(), app.clock, CLI_ADMIN, unit_code=actor.unit_code, role=actor.role
            )
            await users[user_id].send(f"/start {invite.code}")
        else:
            await users[user_id].send("/start")
    objects = await create_objects(app)

    async def press(user_id: str, data: str) -> str:
        user = users[user_id]
        if data.startswith("/"):
            await user.send(data)
        else:
            await user.press_data(data)
        return user.text

    result = await run_matrix(app, objects, press)
    summary = f"{result.cells} cells, {result.allowed_cells} allowed, {len(result.leaks)} leaks"
    print(f"access matrix: {summary}, {len(result.oracles)} oracles")
    assert result.cells > 200 and result.allowed_cells > 20, result
    assert result.leaks == [], result.leaks[:10]
    assert result.oracles == [], result.oracles[:10]
    assert result.changes == [], result.changes[:10]
