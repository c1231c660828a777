"""bench/webhook_throughput.py stops its clock when every citizen's last step is answered. It used to stop
at four messages per citizen, which arrive after two of the four steps (/complain and the phone number are
answered with two messages each): it read `nocert_updates_handled_total` with a fifth of the updates still
being handled, and the metric looked as if it undercounted (986 of 1,200)."""

from __future__ import annotations

from bench.soak_setup import UNIT_NAME
from bench.webhook_throughput import STEPS, fully_answered
from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from tests.integration.chat_driver import ChatUser, add_units


async def test_a_citizen_counts_as_answered_only_once_the_benchs_last_step_is_answered(
    app: Application,
) -> None:
    await add_units(app)
    user = ChatUser(Dispatcher(app), "4101")
    received: list[str] = []
    answers = [step.format(name="王芳", phone="13805361234") for step in STEPS]
    assert answers[-1] == UNIT_NAME
    for answer in answers[:-1]:
        received += [reply.text for reply in await user.send(answer)]
        assert not fully_answered(received)
    assert len(received) >= len(STEPS)  # as many messages as steps, with the last step not even sent
    received += [reply.text for reply in await user.send(answers[-1])]
    assert fully_answered(received)
