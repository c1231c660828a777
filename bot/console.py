"""The console channel: the same dialogs in a terminal, buttons shown numbered and chosen by number.

`ConsoleSession` reads lines (a TTY or piped stdin), turns them into `Incoming` events for the dispatcher
and prints the replies; messages the system sends on its own (the outbox) for this console user are printed
too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import select

from handlers.dispatch.dispatcher import Dispatcher
from handlers.renderers import render
from handlers.types import Incoming, InputKind, Reply
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.domain.labels import ROLE_LABELS
from nocert_core.domain.outbox import OutboxMessage, OutboxStatus
from nocert_core.domain.payload import MalformedPayload
from nocert_core.i18n import N_, Translator, translator
from nocert_core.services.complaints import cards
from nocert_core.services.messaging import outbox

TEXT_ESCAPE = "'"  # a line starting with ' is sent as text even when it is a button's number
EXIT_WORDS = {"/quit", "/exit"}

log = logging.getLogger(__name__)


SHARE_PHONE_HINT = N_("(On Telegram a button shares your phone number; here just type it.)")
NOTIFICATION_MARK = N_("🔔 (notification)")
UPDATED_MARK = N_("↻ (updated)")
BANNER = N_(
    "nocert console — {account} ({role}{unit}). Type a button's number to press it "
    "('text sends a number as text), /quit to leave."
)
ROLE_NAMES = ROLE_LABELS  # one name per role (nocert_core/domain/labels.py)
POLL_SECONDS = 1.0  # how often an interactive console looks for notifications while waiting for input


def format_reply(reply: Reply, first_number: int, t: Translator | None = None) -> tuple[str, list[str]]:
    """The reply as terminal text with numbered buttons; returns (text, button data in number order)."""
    t = t or translator(None)
    lines = [f"{t(UPDATED_MARK)} {reply.text}" if reply.edit else reply.text]
    data: list[str] = []
    for row in reply.buttons:
        cells = []
        for button in row:
            data.append(button.data)
            cells.append(f"[{first_number + len(data) - 1}] {button.text}")
        lines.append("   ".join(cells))
    if reply.request_contact:
        lines.append(t(SHARE_PHONE_HINT))
    if reply.attachment is not None:
        caption = f"  {reply.attachment.caption}" if reply.attachment.caption else ""
        lines.append(f"📎 {reply.attachment.path}{caption}")
    return "\n".join(lines), data


@dataclass
class ConsoleSession:
    app: Application
    account: Account
    out: TextIO = field(default_factory=lambda: sys.stdout)
    buttons: list[str] = field(default_factory=list)
    poll_seconds: float = POLL_SECONDS

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.app)
        self._printing = asyncio.Lock()  # the reply to a line and a notification never interleave
        self.t = translator(self.account.locale)

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, replies: list[Reply], *, keep_numbers: bool = False) -> None:
        """Print replies with numbered buttons. An answer to the user's line numbers its buttons from 1;
        notifications (`keep_numbers`) continue after the buttons already on screen, so a number typed for
        the list above still presses the button it showed."""
        numbered: list[str] = list(self.buttons) if keep_numbers else []
        for reply in replies:
            text, data = format_reply(reply, len(numbered) + 1, self.t)
            numbered += data
            self.write(f"🤖 {text}\n")
        if numbered:
            self.buttons = numbered

    def to_incoming(self, line: str) -> Incoming:
        account = self.account
        base = dict(
            channel="console",
            user_id=account.chat_id,
            chat_id=account.chat_id,
            display_name=account.display_name,
            language=account.locale,
        )
        if line.startswith(TEXT_ESCAPE):
            return Incoming(kind=InputKind.TEXT, text=line[1:], **base)
        if line.isascii() and line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return Incoming(kind=InputKind.BUTTON, data=self.buttons[int(line) - 1], **base)
        if line.startswith("/") and len(line) > 1:
            command, _, args = line[1:].partition(" ")
            return Incoming(kind=InputKind.COMMAND, command=command, args=args.strip(), text=line, **base)
        return Incoming(kind=InputKind.TEXT, text=line, **base)

    async def deliver_outbox(self) -> bool:
        """Print what the system sent this console user (assignments, status changes) and mark it sent;
        True when something was printed."""
        async with self.app.uow() as uow:
            query = (
                select(OutboxMessage)
                .where(
                    orm.outbox.c.recipient_ref == self.account.ref,
                    orm.outbox.c.status == OutboxStatus.PENDING,
                )
                .order_by(orm.outbox.c.id)
            )
            messages = list((await uow.session.execute(query)).scalars().all())
        if not messages:
            return False
        locale = await self._locale()
        t = self.t = translator(locale)
        replies = []
        for message in messages:
            claim = outbox.Claimed(
                message.id or 0, message.recipient_ref, message.kind, message.payload, message.attempts, None
            )
            if await cards.is_stale(self.app.uow, message.kind, message.payload):  # moved on: not shown
                await outbox.mark_superseded(self.app.uow, claim)
                continue
            try:
                reply = render(message.kind, message.payload, t)
            except MalformedPayload as error:  # not printable: dead-lettered, the rest still shown
                log.error(
                    "outbox row %s (%s) is undeliverable: malformed payload: %s", claim.id, claim.kind, error
                )
                await outbox.mark_undeliverable(self.app.uow, claim, f"malformed payload: {error}")
                continue
            if reply.target_message_id is not None:  # a card printed earlier, updated: printed again
                replies.append(Reply(reply.text, reply.buttons, edit=True))
            else:
                replies.append(Reply(f"{t(NOTIFICATION_MARK)} {reply.text}", reply.buttons, reply.attachment))
            now = self.app.clock.now()
            await outbox.mark_sent(self.app.uow, claim, now)
            where = (message.recipient_ref, self.account.chat_id, f"console-{message.id}")
            await cards.remember(self.app.uow, message.kind, message.payload, *where, now)
        if not replies:
            return False
        self.show(replies, keep_numbers=True)
        return True

    async def _locale(self) -> str:
        async with self.app.uow() as uow:
            account = await uow.accounts.get_by_ref(self.account.ref)
            return account.locale if account else self.account.locale

    async def handle_line(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        async with self._printing:
            replies = await self.dispatcher.handle(self.to_incoming(line))
            self.t = translator(await self._locale())
            self.show(replies)
            await self.deliver_outbox()

    async def _poll(self, prompt: bool) -> None:
        """While the user is reading or typing: print notifications as they arrive."""
        while True:
            await asyncio.sleep(self.poll_seconds)
            async with self._printing:
                if await self.deliver_outbox() and prompt:
                    self.out.write("> ")
                    self.out.flush()

    async def run(self, lines: TextIO, echo: bool, poll: bool | None = None) -> None:
        """Read lines until the end or /quit. `poll` (default: when interactive) prints notifications as
        they arrive instead of only after the next line."""
        await self.deliver_outbox()
        poller = (
            asyncio.create_task(self._poll(not echo)) if (poll if poll is not None else not echo) else None
        )
        loop = asyncio.get_running_loop()
        try:
            while True:
                if not echo:
                    self.out.write("> ")
                    self.out.flush()
                line = await loop.run_in_executor(None, lines.readline) if poller else lines.readline()
                if not line:
                    break
                if echo:
                    self.write(f"> {line.rstrip()}")
                if line.strip() in EXIT_WORDS:
                    break
                await self.handle_line(line)
        finally:
            if poller is not None:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller
