"""Driving the web application in-process (aiohttp's test client) as a given account."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestClient, TestServer

from bot.web.app import create_web_app
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.services.access.web_access import issue_web_link

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@asynccontextmanager
async def web_client(app: Application) -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(create_web_app(app, secret="test-secret")))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def sign_in(client: TestClient, app: Application, account_ref: str) -> str:
    """Open a fresh one-time link as `account_ref`; returns the page signed in to (its path)."""
    link = await issue_web_link(app.uow(), app.clock, CLI_ADMIN, account_ref)
    page = await client.get(f"/login/{token_of(link.url)}")
    assert page.status == 200
    response = await client.post(
        "/login", data={"_csrf": csrf_of(await page.text()), "token": token_of(link.url)}
    )
    assert response.status == 200, await response.text()
    return response.url.path


async def form_token(client: TestClient, path: str) -> str:
    page = await client.get(path)
    return csrf_of(await page.text())
