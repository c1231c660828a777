"""Helpers for the browser tests: a real server on a free port over the demo data, and Debian's chromium
driven by Playwright (never `playwright install`: the browser comes from `apt-get install chromium`)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.services.access.web_access import issue_web_link

CHROMIUM = os.environ.get("NOCERT_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("NOCERT_WEB_SCREENSHOTS")  # a folder: docs/web.md's pictures are taken there
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


def browser_tests() -> Any:
    """The browser tests' mark: skipped when chromium or Playwright is missing — except under `make test`
    (NOCERT_REQUIRE_BROWSER=1), where a missing browser fails them instead of passing silently."""
    import pytest

    missing = chromium_missing()
    if missing is not None and os.environ.get("NOCERT_REQUIRE_BROWSER") == "1":
        return pytest.mark.usefixtures()  # no skip: the first launch fails and says why
    return pytest.mark.skipif(missing is not None, reason=missing or "")


def chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"no chromium at {CHROMIUM} (scripts/system-deps.sh installs Debian's chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


@dataclass
class Browsing:
    base: str
    page: Any
    errors: list[str] = field(default_factory=list)

    async def go(self, path: str) -> Any:
        response = await self.page.goto(self.base + path)
        await self.page.wait_for_load_state("load")
        return response

    async def shot(self, name: str) -> None:
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            await self.page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@asynccontextmanager
async def browser(base: str, viewport: dict[str, int] = DESK) -> AsyncIterator[Browsing]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = await chromium.new_context(viewport=viewport, locale="zh-CN")
            page = await context.new_page()
            browsing = Browsing(base, page)
            page.on("console", lambda m: browsing.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: browsing.errors.append(str(e)))
            yield browsing
        finally:
            await chromium.close()


async def sign_in(browsing: Browsing, app: Application, account_ref: str) -> None:
    """What a clerk does: open the link from /web, press the button."""
    link = await issue_web_link(app.uow(), app.clock, CLI_ADMIN, account_ref)
    path = re.sub(r"^https?://[^/]+", "", link.url)
    await browsing.go(path)
    await browsing.page.click("#signin")
    await browsing.page.wait_for_load_state("load")
