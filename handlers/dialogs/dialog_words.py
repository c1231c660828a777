"""Words people type at any step of any dialog: cancel, back, menu, restart, continue (aiogram-style global
handlers, consulted by the dispatcher before the step's own handler).

取消 / 退出 / 不投诉了 / cancel → leave the dialog, nothing submitted;
返回 / 上一步 / back → the previous step (the dispatcher keeps a short history of the steps of a dialog);
菜单 / 主页 / menu (and /menu, /start) → the menu; in the middle of a dialog with answers, first
"continue or discard?" so a draft is never dropped silently;
重新开始 / restart → the first step of the same dialog;
继续 / continue → the current step again.

Only a whole message counts (punctuation and case ignored): "取消" is a word, "取消了我的申请" is an answer.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Any

from handlers.dialogs.callbacks import pressed
from handlers.dialogs.steps import TOKEN_KEY, as_list, edits_card, reshow
from handlers.dispatch.routing import Context, DialogState, HandlerResult, Router, copy_data
from handlers.types import Button, Reply
from nocert_core.i18n import N_

router = Router("dialog_words")

HISTORY_KEY = "_hist"
HISTORY_KEPT = 12  # steps a user can go back
BUTTONS_KEY = "_btns"  # the buttons last shown: [label, data] pairs, so typing a button's words presses it
BUTTONS_KEPT = 24


class Word(StrEnum):
    CANCEL = "cancel"
    BACK = "back"
    MENU = "menu"
    RESTART = "restart"
    CONTINUE = "continue"


WORDS: dict[str, Word] = {
    **dict.fromkeys(
        ("取消", "退出", "不投诉了", "不投诉", "算了", "不要了", "cancel", "quit", "exit", "stop", "abort"),
        Word.CANCEL,
    ),
    **dict.fromkeys(("返回", "上一步", "后退", "退回上一步", "back", "go back", "previous"), Word.BACK),
    **dict.fromkeys(("菜单", "主页", "主菜单", "首页", "menu", "home", "main menu"), Word.MENU),
    **dict.fromkeys(("重新开始", "重来", "从头开始", "restart", "start over", "start again"), Word.RESTART),
    **dict.fromkeys(("继续", "继续填写", "continue", "resume"), Word.CONTINUE),
}
_STRIP = " \t\r\n。，．.,!！?？~～、;；:：\"'“”‘’（）()[]【】"


def word_of(text: str) -> Word | None:
    """The dialog word a whole message is, if it is one (full-width forms, case and punctuation ignored)."""
    key = unicodedata.normalize("NFKC", text).strip(_STRIP).lower()
    key = " ".join(key.split())
    return WORDS.get(key)


# ---- the history of a dialog's steps (kept by the dispatcher) -------------------------------------------


def _step_data(state: DialogState) -> dict[str, Any]:
    return {
        key: value for key, value in state.data.items() if key not in (HISTORY_KEY, TOKEN_KEY, BUTTONS_KEY)
    }


def _snapshot(state: DialogState) -> dict[str, Any]:
    return {"name": state.name, "data": copy_data(_step_data(state))}


def record_step(before: DialogState, after: DialogState) -> None:
    """After a handler ran: remember the step the user left, so "back" can return to it.

    A handler that started a dialog cleared the data (no history in it): its history starts empty.
    """
    if after.name is None:
        return
    if HISTORY_KEY not in after.data:
        after.data[HISTORY_KEY] = []
        return
    if before.name is None or (before.name == after.name and _step_data(before) == _step_data(after)):
        return  # the same step (compared without copying either)
    history = list(after.data[HISTORY_KEY])
    history.append(_snapshot(before))
    after.data[HISTORY_KEY] = history[-HISTORY_KEPT:]


def _restore(ctx: Context, snapshot: dict[str, Any], history: list[dict[str, Any]]) -> None:
    ctx.state.name = snapshot["name"]
    ctx.state.data = {**copy_data(snapshot["data"]), HISTORY_KEY: history}


def has_progress(state: DialogState) -> bool:
    """In a dialog where the user already answered something (worth a "continue or discard?")."""
    return state.name is not None and bool(state.data.get(HISTORY_KEY))


# ---- typing the words of a button presses it ------------------------------------------------------------


def _label_key(text: str) -> str:
    """A label or typed text compared without emoji, stars, punctuation, spaces or case."""
    value = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in value if ch.isalnum())


def remember_buttons(state: DialogState, replies: list[Reply]) -> None:
    """Keep the buttons of this answer (already stamped), so a typed "撤回" or "my complaints" presses one."""
    shown = [[button.text, button.data] for reply in replies for row in reply.buttons for button in row]
    if shown:
        state.data[BUTTONS_KEY] = shown[:BUTTONS_KEPT]
    else:
        state.data.pop(BUTTONS_KEY, None)


STEP_WORDS_MAX = 12  # in a dialog step, only a short text can be the words of a button


def button_for_text(state: DialogState, text: str) -> str | None:
    """The data of the button the typed text names: its whole label; else the one label that starts with it
    ("是" → "是，终止办理"), else the one label that contains it (two characters at least: "撤回" → "撤回这件
    投诉", "myself" → "For myself"). In a dialog step only a short text is taken for a button's words, so a
    typed answer stays an answer."""
    typed = _label_key(text)
    shown = [(_label_key(label), data) for label, data in state.data.get(BUTTONS_KEY) or []]
    if not typed or not shown:
        return None
    exact = [data for label, data in shown if label == typed]
    if exact:
        return exact[0]
    if state.name is not None and len(typed) > STEP_WORDS_MAX:
        return None  # in a step that takes free text, a typed answer is an answer
    for matches in (
        [data for label, data in shown if label.startswith(typed)],
        [data for label, data in shown if typed in label and len(typed) >= 2],
    ):
        if len(set(matches)) == 1:
            return matches[0]
    return None


# ---- what each word does ----------------------------------------------------------------------------


async def handle_word(ctx: Context, word: Word) -> HandlerResult:
    from handlers.start import menu

    if word == Word.CANCEL:
        return await menu.cancel(ctx)
    if word == Word.MENU:
        return await ask_or_menu(ctx)
    if ctx.state.name is None:  # back / restart / continue outside a dialog: the menu
        return await menu.show_menu(ctx)
    history: list[dict[str, Any]] = list(ctx.state.data.get(HISTORY_KEY) or [])
    if word == Word.BACK:
        if not history:
            ctx.state.clear()
            left = ctx.reply(N_("That was the first step; nothing was submitted."))
            return [left, *as_list(await menu.show_menu(ctx))]
        previous = history.pop()
        _restore(ctx, previous, history)
        return await _shown(ctx)
    if word == Word.RESTART:
        if history:
            _restore(ctx, history[0], [])
        note = ctx.reply(N_("Starting this again from the beginning."))
        return [note, *await _shown(ctx)]
    return await _shown(ctx)  # continue


async def _shown(ctx: Context) -> list[Reply]:
    shown = await reshow(ctx)
    if shown:
        return shown
    from handlers.start import menu  # a step that cannot be shown again (none so far): the menu

    ctx.state.clear()
    return as_list(await menu.show_menu(ctx))


async def ask_or_menu(ctx: Context) -> HandlerResult:
    """The menu; in the middle of a dialog with answers, first ask whether to keep the draft."""
    from handlers.start import menu

    if not has_progress(ctx.state):
        ctx.state.clear()
        return await menu.show_menu(ctx)
    buttons = [
        [Button(ctx.t(N_("▶ Continue where I was")), "@dlg:resume")],
        [Button(ctx.t(N_("🗑 Discard it and show the menu")), "@dlg:discard")],
    ]
    return Reply(ctx.t(N_("You have not finished. Continue, or discard what you entered?")), buttons)


@router.button("dlg")
async def on_button(ctx: Context) -> HandlerResult:
    from handlers.start import menu

    if pressed(ctx).action == "discard":
        ctx.state.clear()
        note = ctx.reply(N_("Discarded. Nothing was submitted."))
        return edits_card([note, *as_list(await menu.show_menu(ctx))])
    return edits_card(await _shown(ctx))
