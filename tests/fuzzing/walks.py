"""Random walks of one chat user through the dialogs (inputs from tests/fuzzing/inputs.py) and what they find.

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

from handlers.dialogs import callbacks
from handlers.dialogs.steps import split_stamp
from tests.fuzzing.inputs import (
    ANSWERS,
    COMMANDS,
    GOOD_TEXT,
    LONG_ANSWER,
    NASTY_TEXT,
    InputMaker,
    random_text,
)


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
            text = rng.choice(NASTY_TEXT) if rng.random() < 0.8 else random_text(rng)
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
