"""aiogram's HTTP session, minus two costs that showed in profiles of a busy bot.

- A call without a file goes as one JSON body (`application/json`), not as a form with every nested
  object JSON-encoded into a field of its own; the Bot API takes both. Uploads stay multipart.
- Responses are parsed with `Response[<result type>]`, a generic pydantic model built on first use.
  pydantic caches those models only weakly, so after a garbage collection aiogram built them again
  (schema generation, ~1 ms each, on every few sends). Holding them here keeps them built.
- The replies the runtime sends (texts, card edits, callback answers) are plain JSON already: `call_json`
  posts them as they are and reads the answer as JSON, without building aiogram's method and result
  models (the request, its keyboard and the whole answered Message, each validated by pydantic: a few
  hundred µs per call, issue 15). A failed call is handed to aiogram's own `check_response` with the
  method built then, so its errors are aiogram's, as before.

`ScreeningSession` is the runtime's: it writes the fetched batch to the inbox before the getUpdates call
that acknowledges it, and screens what aiogram would fail to parse (bot/telegram/poison.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile, Update
from aiohttp import ClientError

from bot.telegram.poison import PoisonScreen

JSON_HEADERS = {"Content-Type": "application/json"}


class NocertAiohttpSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._response_models: dict[Any, type[Response[Any]]] = {}  # strong references, see above

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        returning = method.__returning__
        if returning not in self._response_models:
            self._response_models[returning] = Response[returning]  # type: ignore[valid-type]
        files: dict[str, InputFile] = {}
        payload: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared:  # as aiogram's form: empty and false values are left out
                payload[key] = prepared
        if files:
            return await super().make_request(bot, method, timeout)
        status, raw_result = await self._post(
            bot, method.__api_method__, payload, self.timeout if timeout is None else timeout, lambda: method
        )
        checked = self.check_response(bot=bot, method=method, status_code=status, content=raw_result)
        return cast(TelegramType, checked.result)

    async def call_json(
        self, bot: Bot, payload: dict[str, Any], method: Callable[[], TelegramMethod[Any]], name: str
    ) -> Any:
        """Bot API method `name` with `payload` (JSON, None values left out as aiogram leaves them out);
        the decoded result. `method()` builds the aiogram method only when the call fails."""
        status, raw_result = await self._post(bot, name, _without_none(payload), self.timeout, method)
        if HTTPStatus.OK <= status <= HTTPStatus.IM_USED:
            try:
                answer = self.json_loads(raw_result)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
                return answer["result"]
        # aiogram's own checks and errors (RetryAfter, Forbidden, BadRequest …); one that passes them
        # returns its result as aiogram would.
        checked = self.check_response(bot=bot, method=method(), status_code=status, content=raw_result)
        return checked.result

    async def _post(
        self,
        bot: Bot,
        name: str,
        payload: dict[str, Any],
        timeout: float,
        method: Callable[[], TelegramMethod[Any]],
    ) -> tuple[int, str]:
        """POST `payload` as JSON to Bot API method `name`: (HTTP status, body); a network failure raised as
        aiogram raises it, naming `method()`."""
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=name)
        try:
            async with session.post(
                url,
                data=self.json_dumps(payload),
                headers=JSON_HEADERS,
                timeout=timeout,  # type: ignore[arg-type]
            ) as response:
                return response.status, await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method(), message="Request timeout error") from error
        except ClientError as error:
            raise TelegramNetworkError(method=method(), message=f"{type(error).__name__}: {error}") from error


def _without_none(value: Any) -> Any:
    """As aiogram's `prepare_value`: None values (at any depth) are not sent."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_none(item) for item in value if item is not None]
    return value


class ScreeningSession(NocertAiohttpSession):
    """Skips updates aiogram cannot parse instead of failing the whole batch forever
    (bot/telegram/poison.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.poison = PoisonScreen("aiogram", lambda update: Update.model_validate(update))
        self.before_get_updates: Callable[[], Awaitable[None]] | None = None
        self.screen_fetched: Callable[[list[Any]], list[Any]] | None = None
        # Past the updates staged without aiogram (`screen_fetched`): aiogram moves its getUpdates offset
        # only past the updates it sees itself, so the next call asks from here.
        self.next_offset: int | None = None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, GetUpdates) and self.before_get_updates is not None:
            await self.before_get_updates()  # raises (and aiogram retries the call) if the inbox failed
            # what was fetched is in the inbox now: this call may acknowledge it
            if self.next_offset is not None and (method.offset is None or method.offset < self.next_offset):
                method.offset = self.next_offset
        return await super().make_request(bot, method, timeout)

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Response[Any]:
        if isinstance(method, GetUpdates) and self.screen_fetched is not None and status_code == 200:
            content = self._screened(content, self.screen_fetched)
        try:
            return super().check_response(bot, method, status_code, content)
        except ClientDecodeError:
            if not isinstance(method, GetUpdates):
                raise
            try:
                data = self.json_loads(content)
            except ValueError:  # not JSON at all (an empty body, a proxy's HTML page): aiogram's error
                data = None
            if not isinstance(data, dict) or not isinstance(data.get("result"), list):
                raise
            data["result"] = self.poison.screen(data["result"])
            return super().check_response(bot, method, status_code, self.json_dumps(data))

    def _screened(self, content: str, screen: Callable[[list[Any]], list[Any]]) -> str:
        """The batch as aiogram should parse it (the same text when nothing was taken out)."""
        try:
            data = self.json_loads(content)
        except ValueError:
            return content  # aiogram reports it as usual
        if not isinstance(data, dict) or not isinstance(data.get("result"), list):
            return content
        kept = screen(data["result"])
        if kept is data["result"]:
            return content
        data["result"] = kept
        return str(self.json_dumps(data))
