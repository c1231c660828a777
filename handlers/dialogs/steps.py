"""Dialog steps: how to (re-)show the step a user is in, and stamped buttons that detect a stale step.

A button whose data starts with `@` belongs to the dialog step that showed it. The dispatcher appends the
step's token (`@ci:confirm~3fa2`) when sending and compares it on the way back: a button from an earlier step
(or from before a restart that lost the dialog) gets "this button is out of date" and the current step again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from handlers.dispatch.routing import Context, DialogState, HandlerResult
from handlers.types import Reply

STEP_MARK = "@"
TOKEN_MARK = "~"
TOKEN_KEY = "_tok"
DONE_KEY = "_done"  # the last finished dialog: its step token and what a re-pressed button should say
ANY_DIALOG = frozenset({"dlg"})  # step buttons shown in whatever dialog the user is in (continue / discard)

Prompt = Callable[[Context], Awaitable[HandlerResult]]
_prompts: dict[str, Prompt] = {}


def prompt(*names: str) -> Callable[[Prompt], Prompt]:
    """Register what to show for dialog states `names` (used to re-show the step after an error)."""

    def register(function: Prompt) -> Prompt:
        for name in names:
            _prompts[name] = function
        return function

    return register


def as_list(result: HandlerResult) -> list[Reply]:
    if result is None:
        return []
    return [result] if isinstance(result, Reply) else list(result)


async def reshow(ctx: Context) -> list[Reply]:
    """The current step's question again; nothing when the user is not in a dialog."""
    function = _prompts.get(ctx.state.name or "")
    return as_list(await function(ctx)) if function else []


def edits_card(result: HandlerResult) -> list[Reply]:
    """The first reply replaces the card whose button was pressed (Telegram: editMessageText; the console
    prints it again); the others follow as new messages."""
    replies = as_list(result)
    if replies:
        replies[0] = replace(replies[0], edit=True)
    return replies


def split_stamp(data: str) -> tuple[str, str | None]:
    """`@ci:back~3fa2` → ("ci:back", "3fa2"); unstamped data → (data, None)."""
    if not data.startswith(STEP_MARK):
        return data, None
    body, _, token = data[1:].rpartition(TOKEN_MARK)
    if not body:
        return data[1:], ""
    return body, token


def is_current(state: DialogState, token: str, data: str) -> bool:
    """A stamped button belongs to the step the user is in: same token, and the dialog of its prefix
    (`ci:…` buttons only in `ci.…` states), so a token copied from another dialog's button does not help."""
    if not state.name or token != state.data.get(TOKEN_KEY):
        return False
    prefix = data.split(":", 1)[0]
    return prefix in ANY_DIALOG or state.name.split(".", 1)[0] == prefix


def stamp_replies(replies: list[Reply], token: str) -> None:
    for reply in replies:
        for row in reply.buttons:
            for index, button in enumerate(row):
                if button.data.startswith(STEP_MARK) and TOKEN_MARK not in button.data:
                    row[index] = type(button)(button.text, f"{button.data}{TOKEN_MARK}{token}")


def remember_done(ctx: Context, token: str, msgid: str, **params: object) -> None:
    """A dialog finished at the step with `token` (e.g. a complaint was registered): a button of that
    step pressed again answers `msgid` (e.g. the registered number) instead of "out of date"."""
    ctx.state.data[DONE_KEY] = {"tok": token, "msgid": msgid, "params": params}


def done_reply(ctx: Context, token: str | None) -> Reply | None:
    """What a re-pressed button of the finished dialog's last step says; None for any other button."""
    done = ctx.state.data.get(DONE_KEY)
    if not isinstance(done, dict) or token is None or done.get("tok") != token:
        return None
    return Reply(ctx.t(str(done["msgid"]), **dict(done.get("params") or {})))
