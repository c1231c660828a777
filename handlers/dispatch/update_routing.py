"""Which handler answers an update, once the dispatcher has its account and dialog state: commands (a
new command starts over, /help and /lang keep the dialog), buttons (stamped with their step's token: a
button of an earlier step, forged or not for this role is "out of date"), the handler of the dialog's
state, free text outside a dialog; text refused at the edge (unsafe, too long, not text) keeps the step.
Router role filters apply (the first router that has a handler and allows the actor answers)."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from handlers.dialogs import callbacks, dialog_words, steps
from handlers.dispatch.routing import Context, Handler, Router
from handlers.types import Incoming, InputKind, Reply
from nocert_core.bootstrap import Application
from nocert_core.domain.text_safety import unsafe_reason
from nocert_core.i18n import N_

GLOBAL_COMMANDS = ("cancel",)  # answered whatever dialog the user is in


class UpdateRouting:
    def __init__(self, routers: list[Router], app: Application) -> None:
        self.routers = routers
        self.app = app

    async def route(self, ctx: Context) -> list[Reply]:
        """The replies of the handler this update is for (its state, command or button; free text outside
        a dialog; the menu when nothing fits), or why it is refused, with the current step shown again."""
        incoming = ctx.incoming
        unsafe = unsafe_reason(incoming.text) or unsafe_reason(incoming.args)
        if unsafe is not None and incoming.kind in (InputKind.TEXT, InputKind.CONTACT, InputKind.COMMAND):
            return [ctx.reply(unsafe), *await steps.reshow(ctx)]  # refused at the edge, step kept
        if incoming.kind == InputKind.COMMAND:
            return await self._command(ctx)
        if incoming.kind == InputKind.BUTTON:
            return await self._button(ctx)
        if incoming.kind == InputKind.TEXT and len(incoming.text) > self.app.settings.max_text_length:
            too_long = ctx.reply(
                N_(
                    "That text is too long ({length} characters; at most {limit}). "
                    "Please shorten it and send it again."
                ),
                length=len(incoming.text),
                limit=self.app.settings.max_text_length,
            )
            return [too_long, *await steps.reshow(ctx)]
        handler = (
            self._find(lambda router: router.states.get(ctx.state.name or ""), ctx)
            if ctx.state.name
            else None
        )
        if handler is None:
            handler = self._find(lambda router: router.states.get(""), ctx)  # free text outside a dialog
        if incoming.kind == InputKind.UNSUPPORTED and ctx.state.name:
            unsupported = ctx.reply(
                N_("I can only read text here, not a {what}. Please type your answer."),
                what=ctx.t(incoming.text or N_("message of this kind")),
            )
            return [unsupported, *await steps.reshow(ctx)]
        if handler is None:
            from handlers.start import menu

            return steps.as_list(await menu.not_understood(ctx))
        return steps.as_list(await handler(ctx))

    async def _command(self, ctx: Context) -> list[Reply]:
        name = ctx.incoming.command.lower().split("@", 1)[0]
        handler = self._find(lambda router: router.commands.get(name), ctx)
        if handler is None:
            exists = any(name in router.commands for router in self.routers)
            msgid = (
                N_("The command /{command} is not available to you.")
                if exists
                else N_("I do not know the command /{command}. Send /help to see what I can do.")
            )
            return [ctx.reply(msgid, command=name), *await steps.reshow(ctx)]
        if (
            name in ("menu", "start")
            and not ctx.incoming.args.strip()
            and dialog_words.has_progress(ctx.state)
        ):
            return steps.as_list(await dialog_words.ask_or_menu(ctx))  # the draft is not dropped silently
        if name not in GLOBAL_COMMANDS and ctx.state.name and name not in ("lang", "help"):
            ctx.state.clear()  # a new command starts over; /help and /lang keep the dialog
        return steps.as_list(await handler(ctx))

    async def _button(self, ctx: Context) -> list[Reply]:
        data, token = steps.split_stamp(ctx.incoming.data)
        if token is not None and (not ctx.state.name or token != ctx.state.data.get(steps.TOKEN_KEY)):
            done = steps.done_reply(ctx, token)
            if done is not None:
                return [done]
        callback = callbacks.parse(data, stamped=token is not None)
        handler = None
        if callback is not None:
            handler = self._find(lambda router: router.buttons.get(callback.prefix), ctx)
        stale_step = token is not None and not steps.is_current(ctx.state, token, data)
        if handler is None or stale_step:
            # forged, malformed, from an earlier step, or not for this role: all look the same
            stale = ctx.reply(N_("This button is out of date."))
            shown = await steps.reshow(ctx)
            if not shown:
                from handlers.start import menu

                shown = steps.as_list(await menu.show_menu(ctx))
            return [stale, *shown]
        ctx.incoming = with_data(ctx.incoming, data)
        ctx.callback = callback
        return steps.as_list(await handler(ctx))

    def _find(self, pick: _Pick, ctx: Context) -> Handler | None:
        for router in self.routers:
            handler = pick(router)
            if handler is not None and router.allows(ctx.actor):
                return handler
        return None


class _Pick(Protocol):
    def __call__(self, router: Router) -> Handler | None: ...


def with_data(incoming: Incoming, data: str) -> Incoming:
    return replace(incoming, data=data)
