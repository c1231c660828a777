"""python-telegram-bot's HTTP request, sending a call without a file as one JSON body.

PTB posts every call as a form whose nested objects (keyboards, entities) are JSON-encoded field by
field; a call without a file goes here as `application/json` instead, which the Bot API takes as well
and which costs one encoding. Uploads (reports, charts) stay multipart, as PTB builds them.
"""

from __future__ import annotations

import json

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

JSON_HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT, "Content-Type": "application/json"}


class JsonHTTPXRequest(HTTPXRequest):
    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout,  # type: ignore[arg-type]
                write_timeout,  # type: ignore[arg-type]
                connect_timeout,  # type: ignore[arg-type]
                pool_timeout,  # type: ignore[arg-type]
            )
        defaults = self._client.timeout

        def pick(value: object, default: float | None) -> float | None:
            return default if isinstance(value, DefaultValue) else value  # type: ignore[return-value]

        timeout = httpx.Timeout(
            connect=pick(connect_timeout, defaults.connect),
            read=pick(read_timeout, defaults.read),
            write=pick(write_timeout, defaults.write),
            pool=pick(pool_timeout, defaults.pool),
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        try:
            response = await self._client.request(
                method=method, url=url, headers=JSON_HEADERS, timeout=timeout, content=body
            )
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.PoolTimeout):
                raise TimedOut(message="Pool timeout: all connections of the pool are busy") from error
            raise TimedOut from error
        except httpx.HTTPError as error:
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content
