"""A Sender for the Telegram Bot API over plain HTTP (httpx), used by both chat runtimes' outbox worker,
so delivery does not depend on aiogram or python-telegram-bot."""

from __future__ import annotations

import json
from typing import Any

import httpx

from bot.outbox_worker import Rejected, RetryLater, Unreachable
from handlers.types import Reply

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def inline_keyboard(reply: Reply) -> dict[str, Any] | None:
    if not reply.buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": button.text, "callback_data": button.data} for button in row] for row in reply.buttons
        ]
    }


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Telegram refuses messages over 4096 characters: split at line breaks where possible."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts


class TelegramSender:
    def __init__(
        self,
        token: str,
        api_url: str = "https://api.telegram.org",
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base = f"{api_url.rstrip('/')}/bot{token}"
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def send(self, chat_id: str, reply: Reply) -> None:
        markup = inline_keyboard(reply)
        if reply.attachment is not None:
            attachment = reply.attachment
            method, field = (
                ("sendPhoto", "photo") if attachment.kind == "photo" else ("sendDocument", "document")
            )
            caption = attachment.caption or reply.text
            data: dict[str, Any] = {"chat_id": chat_id}
            if caption:
                data["caption"] = caption[:CAPTION_LIMIT]
            if markup:
                data["reply_markup"] = json.dumps(markup, ensure_ascii=False)
            try:
                content = attachment.path.read_bytes()
            except OSError as error:
                raise Rejected(f"attachment not readable: {attachment.path}: {error}") from error
            files = {field: (attachment.path.name, content)}
            await self._call(method, data=data, files=files)
            return
        parts = split_text(reply.text or " ")
        for index, part in enumerate(parts):
            body: dict[str, Any] = {"chat_id": chat_id, "text": part}
            if markup and index == len(parts) - 1:
                body["reply_markup"] = markup
            await self._call("sendMessage", json_body=body)

    async def _call(
        self,
        method: str,
        *,
        json_body: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self._client.post(
                f"{self.base}/{method}", json=json_body, data=data, files=files
            )
        except httpx.TransportError as error:  # refused, reset, timed out: the message may be retried
            raise RetryLater(f"network error: {error!r}") from error
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code == 200 and answer.get("ok"):
            result: dict[str, Any] = answer.get("result") or {}
            return result
        code = int(answer.get("error_code") or response.status_code)
        description = str(answer.get("description") or response.reason_phrase)
        if code == 429:
            retry_after = (answer.get("parameters") or {}).get("retry_after")
            raise RetryLater(description, retry_after=float(retry_after) if retry_after is not None else 1.0)
        if code >= 500:
            raise RetryLater(f"{code} {description}")
        lowered = description.lower()
        if code == 403 or "chat not found" in lowered or "user is deactivated" in lowered:
            raise Unreachable(f"{code} {description}")
        raise Rejected(f"{code} {description}")
