"""What people type outside any dialog when they want something the menu offers, in their own words:
"我要投诉" / "I want to complain" starts a complaint, "投诉进度" / "my complaints" lists theirs, a complaint
number opens it, "五星" / "5 stars" rates the complaint that waits for a rating, "登记来电投诉" / "register a
call" starts a clerk's entry for a caller, "待办" / "my queue" shows the unit's to-do list.

Each intent is the callback data of the button that does the same thing, so the dispatcher presses it (the
role's routers, the codec and the handlers are the ones a button goes through). Only short messages that are
such a request count; a question ("户口本还要带吗") stays a question for the guidance.
"""

from __future__ import annotations

import re
import unicodedata

from handlers.dialogs.chat_common import find_number
from handlers.dispatch.routing import Context, DialogState
from nocert_core.clock import local_date
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.numbers import whole_number
from nocert_core.services.complaints import handling as complaint_service

_PUNCT = " \t\r\n。，．.,!！?？~～、;；:：\"'“”‘’（）()[]【】"
_POLITE = r"(?:请|麻烦|帮我|我|我们|想|要|想要|需要|准备|打算|一下|了|吧|呢|啊)*"


def _key(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).strip(_PUNCT).lower()
    return " ".join(value.replace("’", "'").split())


_CITIZEN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_POLITE}(?:投诉|举报|反映问题|提交投诉|写投诉){_POLITE}$"), "ci:start"),
    (
        re.compile(
            r"^(?:i )?(?:want to |would like to |'d like to |need to |wanna )?(?:complain|make a complaint|"
            r"file a complaint|lodge a complaint|submit a complaint|report a problem)(?: please)?$"
        ),
        "ci:start",
    ),
    (
        re.compile(
            rf"^{_POLITE}(?:查看|查询|查|看看|看)?(?:我的)?(?:投诉)(?:进度|进展|情况|结果|状态|记录)"
            rf"{_POLITE}$|^{_POLITE}(?:查看|查询|看看)我的投诉{_POLITE}$|^投诉到哪了$|^进度$"
        ),
        "mc:list",
    ),
    (
        re.compile(
            r"^(?:show |check |see )?(?:the )?(?:status of )?(?:my complaints?|my complaint status|"
            r"complaint status|status)$"
        ),
        "mc:list",
    ),
)
_STAFF: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"^{_POLITE}(?:登记|录入|代登记|帮来电人登记|替来电人登记)?(?:一件|一个)?"
            rf"(?:来电|来信|窗口|电话|群众)?(?:投诉)(?:登记|录入)?{_POLITE}$"
        ),
        "st:register",
    ),
    (
        re.compile(
            r"^(?:register|enter|record|log)(?: a)?(?: complaint)?"
            r"(?: for a caller| from a caller| received by phone| from a call)?$"
            r"|^(?:register|enter) a call(?:er's complaint)?$|^a caller complains$"
        ),
        "st:register",
    ),
    (
        re.compile(rf"^{_POLITE}(?:看看|查看)?(?:本单位)?(?:待办|待办事项|待办投诉|在办投诉){_POLITE}$"),
        "st:queue",
    ),
    (re.compile(r"^(?:my |our |the )?(?:queue|to-?do(?: list)?|open complaints)$"), "st:queue"),
)
_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_STARS = re.compile(r"^(?:打|给|评|rate it |rate )?(.{1,5}?)\s*(?:颗星|星|分|stars?|points?)(?:好评)?$")


FREE_STATES = frozenset({"guide.ask"})  # "ask me anything" is not a step with an answer to keep


def listening(state: DialogState) -> bool:
    """Outside any dialog step (asking the guidance counts as outside): requests are understood."""
    return state.name is None or state.name in FREE_STATES


async def intent_data(ctx: Context) -> str | None:
    """The callback data of the button the typed text asks for, or None (then it is a question)."""
    text = _key(ctx.incoming.text)
    if not text or len(text) > 40:
        return None
    year = local_date(ctx.app.clock.now(), ctx.app.settings.timezone).year
    number = find_number(text, year) if re.fullmatch(r"[a-z]{0,2}-?[\d-]{1,16}", text) else None
    citizen = ctx.actor.role == Role.CITIZEN
    if number is not None:
        return f"mc:open:{number}" if citizen else f"st:case:{number}"
    for pattern, data in _CITIZEN if citizen else _STAFF:
        if pattern.match(text):
            return data
    if citizen:
        return await _rating(ctx, text)
    return None


async def _rating(ctx: Context, text: str) -> str | None:
    """ "五星" / "5 stars" rates the newest complaint that waits for a rating; "评价" / "rate" opens it."""
    stars = _STARS.match(text)
    amount = stars.group(1).strip() if stars is not None else ""
    score = _ENGLISH_NUMBERS.get(amount) or (whole_number(amount) if amount else None)
    asks = text in ("评价", "我要评价", "打分", "评分", "rate", "rate it", "rating", "give a rating")
    if score is None and not asks:
        return None
    rated = (ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED)
    waiting = [
        c
        for c in await complaint_service.list_complaints(ctx.uow(), ctx.actor, statuses=rated)
        if c.rating is None
    ]
    if not waiting:
        return None
    newest = max(waiting, key=lambda c: c.closed_at or c.registered_at)
    if score is not None and 1 <= score <= 5:
        return f"rt:{newest.number}:{score}"
    return f"mc:open:{newest.number}"
