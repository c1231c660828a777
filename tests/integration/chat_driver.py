"""A test driver for the transport-neutral dialogs: sends Incoming events to a Dispatcher."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Incoming, InputKind, Reply
from nocert_core.bootstrap import Application
from nocert_core.domain.units import Unit

_update_ids = itertools.count(1000)


@dataclass
class ChatUser:
    dispatcher: Dispatcher
    user_id: str
    language: str = "en"
    last: list[Reply] = field(default_factory=list)

    def _incoming(self, kind: InputKind, **values: str) -> Incoming:
        return Incoming(
            channel="telegram",
            user_id=self.user_id,
            chat_id=self.user_id,
            kind=kind,
            display_name=f"user {self.user_id}",
            language=self.language,
            update_id=values.pop("update_id", None) or str(next(_update_ids)),
            **values,
        )

    def _incoming_text(self, text: str) -> Incoming:
        return self._incoming(InputKind.TEXT, text=text, update_id="")

    async def send(self, text: str, update_id: str | None = None) -> list[Reply]:
        kind = InputKind.TEXT
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            self.last = await self.dispatcher.handle(
                self._incoming(
                    InputKind.COMMAND, command=command, args=args, text=text, update_id=update_id or ""
                )
            )
            return self.last
        self.last = await self.dispatcher.handle(self._incoming(kind, text=text, update_id=update_id or ""))
        return self.last

    async def sticker(self) -> list[Reply]:
        self.last = await self.dispatcher.handle(self._incoming(InputKind.UNSUPPORTED, text="sticker"))
        return self.last

    def button_data(self, label_part: str, replies: list[Reply] | None = None) -> str:
        for reply in replies if replies is not None else self.last:
            for row in reply.buttons:
                for button in row:
                    if label_part in button.text:
                        return button.data
        shown = [b.text for r in (replies or self.last) for row in r.buttons for b in row]
        raise AssertionError(f"no button with {label_part!r}; shown: {shown}")

    async def press(
        self, label_part: str, replies: list[Reply] | None = None, update_id: str | None = None
    ) -> list[Reply]:
        return await self.press_data(self.button_data(label_part, replies), update_id)

    async def press_data(self, data: str, update_id: str | None = None) -> list[Reply]:
        self.last = await self.dispatcher.handle(
            self._incoming(InputKind.BUTTON, data=data, update_id=update_id or "")
        )
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)


async def add_units(app: Application) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit(code="KW-SPJ", name="奎文区行政审批服务局", aliases=["奎文区审批局"]))
        uow.units.add(Unit(code="WC-SPJ", name="潍城区行政审批服务局", aliases=["潍城区审批局"]))
        uow.units.add(Unit(code="KW-GAJ", name="奎文公安分局"))
        await uow.commit()


FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"


async def file_complaint(user: ChatUser, agency: str = "奎文区行政审批服务局") -> list[Reply]:
    """From the menu to the summary, answering everything well."""
    await user.send("/start")
    await user.press("Complain")
    await user.send("王芳")
    await user.send("138 0536 1234")
    await user.send(agency)
    await user.send("Accept my application without the certificate")
    await user.send("The certificate is in the exemption catalogue")
    await user.send(FACTS)
    return await user.press("For myself")
