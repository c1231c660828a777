"""Telegram's side of a webhook, for the fake Bot API (tests/fakebotapi.py): setWebhook, deleteWebhook,
getWebhookInfo, and the posters that send each queued update to the webhook URL with the secret header,
resent until answered 200 — one at a time, or with `webhook_connections` > 1 several chats in parallel
(each chat's updates still one at a time, in order)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout


def flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


class FakeWebhook:
    """Part of `FakeBotApi`, over its update queue."""

    _updates: list[dict[str, Any]]
    _new_update: asyncio.Event
    webhook_url: str
    webhook_secret: str | None
    webhook_calls: list[dict[str, Any]]
    webhook_statuses: list[int]
    webhook_connections: int
    _webhook_task: asyncio.Task[None] | None

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_url, self.webhook_secret = "", None
        if flag(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_calls.append(dict(params))
        self.webhook_url = str(params["url"])
        self.webhook_secret = params.get("secret_token")
        if flag(params.get("drop_pending_updates")):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            poster = self._post_updates() if self.webhook_connections <= 1 else self._post_in_parallel()
            self._webhook_task = asyncio.create_task(poster, name="fake-webhook")
        self._new_update.set()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _post_updates(self) -> None:
        """Telegram's side of a webhook: the oldest update first, resent until answered 200."""
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while self.webhook_url:
                if not self._updates:
                    self._new_update.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), timeout=0.5)
                    continue
                update = self._updates[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
                try:
                    async with session.post(self.webhook_url, json=update, headers=headers) as response:
                        status = response.status
                except (ClientError, OSError, TimeoutError):
                    status = 0
                self.webhook_statuses.append(status)
                if status == 200:
                    if self._updates and self._updates[0] is update:
                        self._updates.pop(0)
                else:
                    await asyncio.sleep(0.05)

    async def _post_in_parallel(self) -> None:
        """`webhook_connections` posters; an update waits while an earlier one of its chat is in flight."""
        in_flight: set[int] = set()

        def chat_of(update: dict[str, Any]) -> int:
            body = update.get("message") or update.get("callback_query") or {}
            return int((body.get("from") or {}).get("id") or 0)

        async def poster(session: ClientSession) -> None:
            while self.webhook_url:
                update = next((u for u in self._updates if chat_of(u) not in in_flight), None)
                if update is None:
                    self._new_update.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), timeout=0.2)
                    continue
                chat = chat_of(update)
                in_flight.add(chat)
                try:
                    headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
                    try:
                        async with session.post(self.webhook_url, json=update, headers=headers) as response:
                            status = response.status
                    except (ClientError, OSError, TimeoutError):
                        status = 0
                    self.webhook_statuses.append(status)
                    if status == 200:
                        with contextlib.suppress(ValueError):
                            self._updates.remove(update)
                    else:
                        await asyncio.sleep(0.05)
                finally:
                    in_flight.discard(chat)
                    self._new_update.set()

        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            await asyncio.gather(*(poster(session) for _ in range(self.webhook_connections)))
