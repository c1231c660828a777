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
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError

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
