"""What the fuzzer sends: valid answers, hostile text, commands and callback fields, and button data the bot
showed, mutated, or forged from the codec's shapes (handlers/dialogs/callbacks.py)."""

from __future__ import annotations

import random

from handlers.dialogs import callbacks
from handlers.dialogs.steps import split_stamp

NASTY_TEXT = [
    "",
    " ",
    "\u200b",
    "\u3164",
    "a\x00b",
    "王\x00芳",
    "\x1b[31mred",
    "gpj.exe\u202e",
    "²",
    "¹⁰",
    "٣",
    "５",
    "-1",
    "0",
    "99999999999999999999",
    "9" * 1999,
    "3.5",
    "三",
    "十万",
    "{number}",
    "{0}",
    "%s%s%n",
    "' OR 1=1 --",
    "<b>bold</b>",
    '=HYPERLINK("http://evil","x")',
    "@SUM(1)",
    "😀" * 50,
    "x" * 2001,
    "取消",
    "返回",
    "菜单",
    "重新开始",
    "继续",
    "back",
    "TS-2026-000001",
    "TS-２０２６-000001",
    "HC-2026-000001",
    "ZG-2026-00001",
    "/",
    "//",
    "\n\n\n",
]
GOOD_TEXT = [
    "王芳",
    "张伟",
    "13805361234",
    "138 0536 1234",
    "+86 139 0536 1234",
    "0536-8123456",
    "12345",
    "奎文区行政审批服务局",
    "奎文",
    "潍城区审批局",
    "公安",
    "KW-SPJ",
    "请不要再要求我提供证明",
    "目录里已经免提交",
    "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明",
    "上周三",
    "3号窗口",
    "营业执照",
    "无犯罪记录证明",
    "3",
    "5",
    "10",
    "2026-11-23",
    "370700-BDC-001",
    "居民户口簿",
    "办理不动产登记需要什么证明",
    "已改为部门核验，当场办结",
    "不属于本单位职责",
    "TS-2026-000001",
    "TS-2026-000002",
    "HC-2026-000001",
]
COMMANDS = [
    "start",
    "menu",
    "help",
    "cancel",
    "lang",
    "complain",
    "my",
    "queue",
    "case",
    "register",
    "unrouted",
    "verify",
    "requests",
    "overdue",
    "stats",
    "report",
    "notices",
    "rectify",
    "adjust",
    "ask",
    "changes",
    "nosuchcommand",
    "start@nocert_bot",
    "QUEUE",
]
FIELD_SAMPLES = [
    "TS-2026-000001",
    "TS-2026-000002",
    "TS-2026-000099",
    "HC-2026-000001",
    "ZG-2026-00001",
    "KW-SPJ",
    "WC-SPJ",
    "-",
    "1",
    "5",
    "10000000",
    "²",
    "0",
    "en",
    "zh_Hans",
    "self",
    "other",
    "vague",
    "hotline",
    "facts",
    "add",
    "核验",
    "",
    "x" * 70,
    "\x00",
]


# A plausible answer for the step a user is in, so the walks get deep into every dialog.
LONG_ANSWER = "窗口工作人员要求提交已列入免提交清单的证明，经核实已整改"
ANSWERS = {
    "ci.name": "王芳",
    "ci.phone": "13805361234",
    "ci.agency": "奎文区行政审批服务局",
    "ci.facts": GOOD_TEXT[14],
    "ci.followup": "上周三",
    "ci.principal": "张伟",
    "st.extdays": "3",
    "st.dup": "TS-2026-000001",
    "sv.unit": "公安",
    "rect.unit": "KW-SPJ",
    "rect.days": "10",
    "vr.unit": "潍城",
    "gadj.service": "370700-BDC-001",
    "gadj.certificate": "居民户口簿",
    "gadj.date": "2026-11-23",
    "guide.ask": "办理不动产登记需要户口簿吗",
}


class InputMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def mutate(self, data: str) -> str:
        rng = self.rng
        body, token = split_stamp(data)
        parts = body.split(":")
        choice = rng.randrange(7)
        if choice == 0 and len(parts) > 1:
            parts[rng.randrange(1, len(parts))] = rng.choice(FIELD_SAMPLES)
        elif choice == 1:
            parts.append(rng.choice(FIELD_SAMPLES))
        elif choice == 2 and len(parts) > 1:
            parts.pop()
        elif choice == 3:
            parts[0] = rng.choice(sorted(callbacks.PREFIXES))
        elif choice == 4:
            return body  # the stamp dropped
        elif choice == 5:
            return f"@{body}~{rng.choice(['0000', 'zzzz', '', token or 'ffff'])}"
        else:
            return data[: rng.randrange(len(data) + 1)]
        mutated = ":".join(parts)
        return f"@{mutated}~{token}" if token is not None else mutated

    def forged(self) -> str:
        shape = self.rng.choice(callbacks.SHAPES)
        values = [self.rng.choice(FIELD_SAMPLES) for _ in shape.fields]
        return callbacks.encode(
            shape.prefix, shape.action, *values, step=shape.step and self.rng.random() < 0.5
        )


def random_text(rng: random.Random) -> str:
    alphabet = "aZ9 \n\t王芳证明。，!?@#:~-" + "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(8))
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))
