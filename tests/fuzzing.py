"""A seeded, bounded fuzzer for the conversations (issue 10): random walks through every dialog by role,
with valid answers, hostile text, unknown commands, the buttons the bot showed, mutations of them and
callback data forged from the codec's shapes. Used by tests/integration/security/test_fuzz.py (the Dispatcher,
a few hundred inputs) and bench/fuzz.py (the real aiogram and python-telegram-bot runtimes over the fake Bot
API, ≥ 10,000 inputs each).

What counts: a **traceback** is any log record at ERROR or above, or carrying exception info, or an
exception escaping a handler; a **hang** is an input not answered within the time limit; a **stuck user**
is one who, after the walk, does not get the menu for /cancel then /start (or whose dialog is not cleared).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Findings:
    inputs: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)  # not answered within the hang limit
    slow: list[str] = field(default_factory=list)  # answered, but after the time limit
    stuck: list[str] = field(default_factory=list)
    unparsable_buttons: list[str] = field(default_factory=list)  # data the bot itself sent but cannot parse
    states: set[str] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        return not (self.tracebacks or self.hangs or self.stuck or self.unparsable_buttons)

    def summary(self) -> str:
        return (
            f"{self.inputs} inputs: {len(self.tracebacks)} tracebacks, {len(self.hangs)} hangs "
            f"({len(self.slow)} slow but answered), "
            f"{len(self.stuck)} stuck users, {len(self.unparsable_buttons)} unparsable buttons, "
            f"{len(self.states)} dialog states reached"
        )


class TracebackCatcher(logging.Handler):
    """Collects every record at ERROR or above, or with exception info (attach to the root logger)."""

    def __init__(self, findings: Findings) -> None:
        super().__init__(logging.DEBUG)
        self.findings = findings

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR or record.exc_info:
            self.findings.tracebacks.append(f"{record.name}: {record.getMessage()[:300]}")


class Driver:
    """One chat user as the fuzzer sees it: send text / a command / button data, read the buttons shown."""

    name: str

    async def text(self, text: str) -> None: ...

    async def command(self, command: str, args: str) -> None: ...

    async def press(self, data: str) -> None: ...

    def buttons(self) -> list[str]: ...

    def last_text(self) -> str: ...

    async def state_name(self) -> str | None: ...


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


async def walk(
    driver: Driver,
    rng: random.Random,
    steps: int,
    findings: Findings,
    timeout: float = 10.0,
    hang_after: float | None = None,
    on_slow: Callable[[str], None] | None = None,
) -> None:
    """`steps` random inputs from one user; each must be answered within `timeout` seconds. With
    `hang_after`, an input answered after `timeout` but within `hang_after` is slow, not a hang.
    `on_slow` is told (the user and the input) when an input outlasts `timeout` (a bench dumps its tasks)."""
    maker = InputMaker(rng)
    for _ in range(steps):
        roll = rng.random()
        shown = driver.buttons()
        state = await driver.state_name()
        if state and rng.random() < 0.35:
            text = ANSWERS.get(state, LONG_ANSWER)
            action: Callable[[], Awaitable[None]] = lambda text=text: driver.text(text)  # noqa: E731
            label = f"answer {text[:20]!r} at {state}"
        elif roll < 0.40 and shown:
            data = rng.choice(shown)
            action = lambda data=data: driver.press(data)  # noqa: E731
            label = f"press {data!r}"
        elif roll < 0.50 and shown:
            data = maker.mutate(rng.choice(shown))
            action = lambda data=data: driver.press(data)  # noqa: E731
            label = f"press mutated {data!r}"
        elif roll < 0.58:
            data = maker.forged()
            action = lambda data=data: driver.press(data)  # noqa: E731
            label = f"press forged {data!r}"
        elif roll < 0.66:
            command = rng.choice(COMMANDS)
            args = rng.choice(["", "", *GOOD_TEXT[:3], *NASTY_TEXT[:12], "TS-2026-000001"])
            action = lambda command=command, args=args: driver.command(command, args)  # noqa: E731
            label = f"/{command} {args[:20]!r}"
        elif roll < 0.90:
            text = rng.choice(GOOD_TEXT)
            action = lambda text=text: driver.text(text)  # noqa: E731
            label = f"text {text[:20]!r}"
        else:
            text = rng.choice(NASTY_TEXT) if rng.random() < 0.8 else _random_text(rng)
            action = lambda text=text: driver.text(text)  # noqa: E731
            label = f"text {text[:20]!r}"
        findings.inputs += 1
        task = asyncio.ensure_future(action())
        try:
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout)
            except TimeoutError:
                if hang_after is None:
                    task.cancel()
                    raise
                if on_slow is not None:
                    on_slow(f"{driver.name}: {label}")
                await asyncio.wait_for(task, hang_after - timeout)
                findings.slow.append(f"{driver.name}: {label}")
        except TimeoutError:
            findings.hangs.append(f"{driver.name}: {label}")
        except Exception as error:  # an exception escaping the handler is a traceback
            findings.tracebacks.append(f"{driver.name}: {label}: {type(error).__name__}: {error}"[:300])
        for button in driver.buttons():
            body, token = split_stamp(button)
            if callbacks.parse(body, stamped=token is not None) is None:
                findings.unparsable_buttons.append(button)
        state = await driver.state_name()
        if state:
            findings.states.add(state)


def _random_text(rng: random.Random) -> str:
    alphabet = "aZ9 \n\t王芳证明。，!?@#:~-" + "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(8))
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60)))


MENU_PREFIXES = ("ci:start", "guide:start", "mc:list", "st:queue", "sv:unrouted", "vr:list")


async def check_not_stuck(
    driver: Driver, findings: Findings, menu_prefixes: Sequence[str] = MENU_PREFIXES
) -> None:
    """After the walk the user must still be served: /cancel, then /start shows the menu of their role."""
    try:
        await asyncio.wait_for(driver.command("cancel", ""), 10)
        await asyncio.wait_for(driver.command("start", ""), 10)
    except Exception as error:
        findings.stuck.append(f"{driver.name}: {type(error).__name__}")
        return
    menu = [data for data in driver.buttons() if any(data.startswith(prefix) for prefix in menu_prefixes)]
    if not menu or await driver.state_name() is not None:
        findings.stuck.append(f"{driver.name}: {driver.last_text()[:120]!r}")


# ---- importers --------------------------------------------------------------------------------------------

IMPORT_SEEDS = {
    "units": (
        "单位编码,单位名称,上级单位编码,别名\nWF,潍坊市人民政府,,市政府\n"
        "KW-SPJ,奎文区行政审批服务局,WF,奎文区审批局\n"
    ),
    "catalogue": (
        "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"
        "370700-BDC-001,不动产登记,潍坊市不动产登记中心,居民户口簿,电子证照关联,第四条,\n"
    ),
    "calendar": "2027-01-01,holiday\n2027-01-04,workday\n",
}


def mutated_file(rng: random.Random, seed: str) -> bytes:
    """A file that starts from a valid import and is damaged: bytes flipped, cut, repeated, re-encoded."""
    text = seed
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(8)
        if choice == 0:
            position = rng.randrange(len(text) + 1)
            text = text[:position] + rng.choice(NASTY_TEXT + FIELD_SAMPLES) + text[position:]
        elif choice == 1:
            text = text[: rng.randrange(len(text) + 1)]
        elif choice == 2:
            text = text * rng.randrange(2, 4)
        elif choice == 3:
            text = text.replace(",", rng.choice([";", "\t", ",,", ""]))
        elif choice == 4:
            text = text.replace("\n", rng.choice(["\r\n", "\r", "\n\n", ""]))
        elif choice == 5:
            text = "\ufeff" + text
        elif choice == 6:
            lines = text.splitlines()
            rng.shuffle(lines)
            text = "\n".join(lines)
        else:
            text += ",".join(rng.choice(FIELD_SAMPLES) for _ in range(rng.randrange(1, 9))) + "\n"
    encoding = rng.choice(["utf-8", "utf-8", "gb18030", "utf-16"])
    data = text.encode(encoding, errors="replace")
    if rng.random() < 0.2:
        data = bytes(byte ^ 0xFF if rng.random() < 0.02 else byte for byte in data)
    return data


def file_suffix(rng: random.Random) -> str:
    return rng.choice([".csv", ".csv", ".txt", ".xlsx"])


def write_case(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
