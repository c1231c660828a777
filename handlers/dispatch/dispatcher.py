"""The dispatcher: one entry point for every channel (aiogram, python-telegram-bot, console).

`Dispatcher.handle(incoming)` processes one update: it serialises each user's updates (a per-user lock),
ignores an update id already processed (persisted, so a redelivery after a restart is ignored too), resolves
the account (a citizen account is created on first contact), loads the dialog state, picks the handler
(commands, buttons, dialog states; router role filters apply: handlers/dispatch/update_routing.py), turns a
DomainError into a translated message that keeps the user in the same step, and saves the state.

Several instances may handle one user's updates (webhooks behind a balancer): the runtime holds a lock per
user across processes, and two backstops hold even if that lock is lost: the state is saved only over the
version it was loaded at (a stale writer gets StaleDialogState and handles its update again from the new
step), and an inbox row is marked processed only once (the second transaction rolls back and sends nothing).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import replace
from typing import Any

from handlers.dialogs import dialog_words, intents, steps
from handlers.dialogs.dialog_store import DatabaseStateStorage, StateStorage, UserLocks
from handlers.dispatch import flood
from handlers.dispatch.routing import Context, DialogState
from handlers.dispatch.update_batch import GroupCommit
from handlers.dispatch.update_closing import Closing, MarkInbox, MarkProcessed, Outcome, Spoiled
from handlers.dispatch.update_routing import UpdateRouting, with_data
from handlers.registry import all_routers
from handlers.types import Incoming, InputKind, Reply
from nocert_core.adapters.sql import inbox_batch
from nocert_core.adapters.sql.tables_chat import (
    PROCESSED_UPDATES_KEPT,
    InboxAlreadyProcessed,
    StaleDialogState,
)
from nocert_core.adapters.text import load_segmenter_off_loop
from nocert_core.bootstrap import Application
from nocert_core.domain.labels import error_text
from nocert_core.errors import DomainError
from nocert_core.i18n import N_, translator
from nocert_core.services.access import accounts as account_service
from nocert_core.services.messaging import outbox
from nocert_core.services.platform.joined_uow import UpdateTransaction
from nocert_core.services.platform.uow import AbstractUnitOfWork, UnitOfWorkFactory

__all__ = ["DatabaseStateStorage", "Dispatcher", "StateStorage", "UserLocks"]

log = logging.getLogger(__name__)
STALE_RETRIES = 3  # handlings of one update whose state another process changed meanwhile
REDO_KEY = "_redo"  # a non-transactional storage (Redis): the step before the update that saved this state
_GONE = object()  # a key the step after the update does not have


SORRY = N_("Sorry, something went wrong on our side. Your answers are kept; please try again.")


class Dispatcher:
    def __init__(self, app: Application, storage: StateStorage | None = None) -> None:
        self.app = app
        self.storage: StateStorage = storage or DatabaseStateStorage(app)
        self.routing = UpdateRouting(all_routers(), app)
        self.locks = UserLocks()
        settings = app.settings
        self.flood = flood.FloodGuard(settings.rate_limit_per_minute, settings.rate_limit_burst)
        self._marked = 0
        self.group = GroupCommit(self)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one update and return its replies for the caller to show (the console, tests).

        The dialog step and the "processed" mark of its update id are committed together; a redelivered
        update id is ignored."""
        async with self.locks.hold(incoming.user_ref):
            update_key = _update_key(incoming)
            # Waits only this user's turn; the console is a local operator's channel, not paced.
            slow_down = incoming.channel != "console" and await self.flood.pace(incoming.user_ref)
            closing = MarkProcessed(self.app.clock, update_key)
            outcome = await self._run(incoming, update_key, slow_down, closing)
            return [] if outcome is None else outcome.replies

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        """Handle an update taken from the inbox (Telegram). One transaction carries the dialog step, the
        inbox row's processed mark and the replies as outbox rows, leased to the caller: it delivers them
        right away (`Claimed`, in order); if it dies first, the outbox worker delivers them when the lease
        ends. A row processed already (a redelivery, or recovered after a restart) gives []. Updates of
        other users waiting meanwhile share the transaction (group commit:
        handlers/dispatch/update_batch.py)."""
        return await self.group.process(inbox_id, incoming, lease_seconds)

    async def process_alone(
        self, inbox_id: int, incoming: Incoming, lease_seconds: float, slow_down: bool
    ) -> list[outbox.Claimed]:
        """`process` in a transaction of the update's own (the caller holds the user's lock and paced)."""
        update_key = _update_key(incoming)
        closing = MarkInbox(self.app.clock, inbox_id, update_key, lease_seconds)
        outcome = await self._run(incoming, update_key, slow_down, closing)
        return [] if outcome is None else closing.claims(outcome)

    async def _run(
        self, incoming: Incoming, update_key: str | None, slow_down: bool, closing: Closing
    ) -> Outcome | None:
        """The update in ONE transaction (account, dialog step, the use cases' changes, the mark, the
        replies: issue 15). When a use case spoiled it (nocert_core.services.platform.joined_uow), the update
        is handled again with a transaction per use case. None: processed already (here or elsewhere)."""
        await load_segmenter_off_loop()  # before the transaction: no connection held while it loads
        for attempt in range(1, STALE_RETRIES + 1):
            try:
                return await self._in_one_transaction(incoming, update_key, slow_down, closing)
            except InboxAlreadyProcessed:
                log.info("update %s was processed by another process", update_key)
                return None
            except Spoiled:
                log.info("a use case failed after writing; the update is handled again step by step")
                return await self._step_by_step(incoming, update_key, slow_down, closing)
            except StaleDialogState:
                if attempt == STALE_RETRIES:
                    raise
                log.warning("dialog state changed meanwhile (another process); handling the update again")
        raise AssertionError("unreachable")

    async def _in_one_transaction(
        self, incoming: Incoming, update_key: str | None, slow_down: bool, closing: Closing
    ) -> Outcome | None:
        load_in = getattr(self.storage, "load_in", None)
        async with self.app.uow() as uow:
            looked = await self._look(uow, closing)
            if looked is not None:  # the inbox row and the state in one statement
                if looked.processed:
                    log.info("ignoring redelivered update %s", update_key)
                    return None
                state = _state_of(looked.state)
            else:
                if await closing.done_already(uow):
                    log.info("ignoring redelivered update %s", update_key)
                    return None
                if load_in is not None:
                    state = await load_in(uow, incoming.user_ref)
                else:
                    state = await self.storage.load(incoming.user_ref)
            transaction = UpdateTransaction(uow)
            try:
                outcome = await self.handle_in(incoming, update_key, slow_down, transaction, state)
            except Exception:
                if transaction.spoiled:
                    raise Spoiled() from None
                raise
            if transaction.spoiled:
                raise Spoiled()
            await self.save_step(uow, incoming, update_key, outcome)
            await closing.write(uow, outcome)
            await self.forget_old(uow)
            await uow.commit()
        return outcome

    async def _look(self, uow: AbstractUnitOfWork, closing: Closing) -> inbox_batch.Looked | None:
        """An inbox row's look (locking it, as `MarkInbox.done_already`) with its user's dialog state, in
        one statement, when states are in the database (was two round trips: issue 15); None otherwise,
        or when the row is not there."""
        if not isinstance(closing, MarkInbox) or not isinstance(self.storage, DatabaseStateStorage):
            return None
        session = uow.session  # type: ignore[attr-defined]
        return (await inbox_batch.look(session, [closing.inbox_id], with_states=True)).get(closing.inbox_id)

    async def _step_by_step(
        self, incoming: Incoming, update_key: str | None, slow_down: bool, closing: Closing
    ) -> Outcome | None:
        """The fallback: one transaction per use case, then a closing one (step, mark, replies)."""
        for attempt in range(1, STALE_RETRIES + 1):
            async with self.app.uow() as uow:
                if await closing.done_already(uow):
                    return None
            state = await self.storage.load(incoming.user_ref)
            outcome = await self.handle_in(incoming, update_key, slow_down, self.app.uow, state)
            try:
                async with self.app.uow() as uow:
                    await self.save_step(uow, incoming, update_key, outcome)
                    await closing.write(uow, outcome)
                    await self.forget_old(uow)
                    await uow.commit()
            except InboxAlreadyProcessed:
                return None
            except StaleDialogState:
                if attempt == STALE_RETRIES:
                    raise
                log.warning("dialog state changed meanwhile (another process); handling the update again")
                continue
            return outcome
        raise AssertionError("unreachable")

    async def save_step(
        self, uow: AbstractUnitOfWork, incoming: Incoming, update_key: str | None, outcome: Outcome
    ) -> None:
        """The dialog step, in `uow` (a database storage) or just before its commit (Redis); saved only
        over the version it was loaded at, and an unchanged step must still be the stored one
        (StaleDialogState otherwise: another process moved on)."""
        storage = self.storage
        save_in = getattr(storage, "save_in", None)
        if save_in is None:
            if outcome.changed:
                # Redis cannot join the transaction: save first, with the step before this update, so
                # that a crash before the commit reprocesses the update from that step, not the next one.
                await storage.save(incoming.user_ref, self.with_redo(outcome, update_key))
            else:
                is_current = getattr(storage, "is_current", None)
                if is_current is not None and not await is_current(incoming.user_ref, outcome.before):
                    raise StaleDialogState(incoming.user_ref)  # answered from a step already moved on from
        elif outcome.changed:
            await save_in(uow, incoming.user_ref, outcome.state)
        else:
            is_current_in = getattr(storage, "is_current_in", None)
            if is_current_in is not None and not await is_current_in(uow, incoming.user_ref, outcome.before):
                raise StaleDialogState(incoming.user_ref)

    @staticmethod
    def with_redo(outcome: Outcome, update_key: str | None) -> DialogState:
        """The state to save outside the transaction: the new step, carrying the one before the update as
        its difference from the new one (the values the update changed or removed, the lists it appended
        to, the keys it added): the whole step before, with its step history, was the state's JSON a second
        time in every save and load (issue 15). Only encoded after this: the values are shared, not copied."""
        after = outcome.state.data
        saved = DialogState(outcome.state.name, dict(after), outcome.state.version)
        if update_key:
            changed: dict[str, Any] = {}
            cut: dict[str, int] = {}  # a list the update only appended to (the step history): its length
            for key, value in outcome.before.data.items():
                now = after.get(key, _GONE)
                if now == value:
                    continue
                if type(value) is list and type(now) is list and now[: len(value)] == value:
                    cut[key] = len(value)
                else:
                    changed[key] = value
            saved.data[REDO_KEY] = {
                "update": update_key,
                "name": outcome.before.name,
                "changed": changed,
                "cut": cut,
                "added": [key for key in after if key not in outcome.before.data],
            }
        return saved

    async def forget_old(self, uow: AbstractUnitOfWork) -> None:
        self._marked += 1
        if self._marked % 500 == 1:
            cutoff = self.app.clock.now() - PROCESSED_UPDATES_KEPT
            await uow.chat.forget_processed_before(cutoff)
            await uow.chat.forget_inbox_before(cutoff)

    async def handle_in(
        self,
        incoming: Incoming,
        update_key: str | None,
        slow_down: bool,
        uow: UnitOfWorkFactory,
        loaded: DialogState,
    ) -> Outcome:
        account = await account_service.ensure_account(
            uow(),
            self.app.clock,
            ref=incoming.user_ref,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            display_name=incoming.display_name,
            language=incoming.language,
        )
        state = _without_redo(loaded, update_key)
        before = state.copy()
        ctx = Context(
            self.app,
            incoming,
            account,
            account.as_actor(),
            translator(account.locale),
            state,
            transaction=uow,
        )
        word = dialog_words.word_of(incoming.text) if incoming.kind == InputKind.TEXT else None
        try:
            if word is not None:  # 取消 / 返回 / 菜单 / 重新开始 … at any step of any dialog
                replies = steps.as_list(await dialog_words.handle_word(ctx, word))
            else:
                pressed = (
                    dialog_words.button_for_text(ctx.state, incoming.text)
                    if incoming.kind == InputKind.TEXT
                    else None
                )
                if pressed is None and incoming.kind == InputKind.TEXT and intents.listening(ctx.state):
                    pressed = await intents.intent_data(ctx)  # "我要投诉", "my complaints", "五星" …
                if pressed is not None:  # typed the words of a button on screen: pressed it
                    ctx.incoming = with_data(replace(incoming, kind=InputKind.BUTTON), pressed)
                replies = await self.routing.route(ctx)
                dialog_words.record_step(before, ctx.state)
        except Exception as error:
            if getattr(uow, "spoiled", False):
                # The update's one transaction cannot go on (e.g. another instance registered the same
                # draft meanwhile: our insert failed, the session must roll back). Not a handler failure:
                # the caller handles the update again step by step, where insert-or-get answers.
                raise
            ctx.state = before  # the step is not lost: the user answers it again
            if isinstance(error, DomainError):
                replies = [Reply(error_text(error, ctx.t))]
            else:
                log.exception("handler failed for %s (%s)", incoming.user_ref, incoming.kind)
                replies = [ctx.reply(SORRY)]
            replies += await steps.reshow(ctx)
        if slow_down:
            replies.insert(0, ctx.reply(flood.SLOW_DOWN))
        token = self._token_after(before, ctx.state, update_key)
        steps.stamp_replies(replies, token)
        dialog_words.remember_buttons(ctx.state, replies)
        changed = (
            _comparable(before) != _comparable(ctx.state)
            or before.data.get(steps.TOKEN_KEY) != token
            or before.data.get(dialog_words.BUTTONS_KEY) != ctx.state.data.get(dialog_words.BUTTONS_KEY)
        )
        return Outcome(account, replies, before, ctx.state, changed)

    @staticmethod
    def _token_after(before: DialogState, after: DialogState, update_key: str | None) -> str:
        """A new token whenever the step changes, so buttons of earlier steps become stale. The token an
        update gives is the same every time that update is handled (derived from its id): when two
        instances both handled it (a user lock that expired) and the one whose reply went out is not the
        one whose state Redis kept, the buttons the citizen sees still belong to the stored step."""
        token = before.data.get(steps.TOKEN_KEY)
        if after.name is None:
            after.data.pop(steps.TOKEN_KEY, None)
            return "0"
        if token is None or _comparable(before) != _comparable(after):
            token = _token_of(update_key) if update_key else secrets.token_hex(2)
        after.data[steps.TOKEN_KEY] = token
        return str(token)


def _state_of(stored: inbox_batch.StoredState | None) -> DialogState:
    return DialogState(version=0) if stored is None else DialogState(stored[0], stored[1], stored[2])


def _update_key(incoming: Incoming) -> str | None:
    return f"{incoming.channel}:{incoming.update_id}" if incoming.update_id else None


def _token_of(update_key: str) -> str:
    """Four hex digits from the update's id, like the random ones: what matters is that an earlier step's
    buttons do not carry the current step's token."""
    return hashlib.blake2s(update_key.encode(), digest_size=2, key=b"nocert-step").hexdigest()


def _without_redo(state: DialogState, update_key: str | None) -> DialogState:
    """The loaded state; the step before `update_key` when a crash interrupted that very update."""
    redo: Any = state.data.pop(REDO_KEY, None)
    if not (isinstance(redo, dict) and update_key and redo.get("update") == update_key):
        return state
    if "data" in redo:  # saved whole (before issue 15's difference): a state stored by the code before
        return DialogState(name=redo.get("name"), data=dict(redo.get("data") or {}), version=state.version)
    added = set(redo.get("added") or ())
    data = {key: value for key, value in state.data.items() if key not in added}
    for key, length in (redo.get("cut") or {}).items():
        data[key] = data[key][:length]
    data.update(redo.get("changed") or {})
    return DialogState(name=redo.get("name"), data=data, version=state.version)


def _comparable(state: DialogState) -> tuple[str | None, dict[str, object]]:
    ignored = (steps.TOKEN_KEY, dialog_words.BUTTONS_KEY)
    return state.name, {key: value for key, value in state.data.items() if key not in ignored}
