"""python-telegram-bot's HTTP request: a call without a file goes over aiohttp as one JSON body.

PTB posts every call through httpx as a form whose nested objects (keyboards, entities) are JSON-encoded
field by field. Profiles of `nocert run` with PTB (docs/performance.md) put a fifth of the bot's busy
samples in httpx and its layers (httpcore, anyio: a task group, cancellation shields and two socket
writes per request), for calls of a few hundred bytes to one host. So a call without a file goes here
through an aiohttp session (the library aiogram and the web console already use) as one
`application/json` body, which the Bot API takes as well; uploads (reports, charts) and file downloads
stay with PTB's httpx client, which builds their multipart bodies.

What PTB expects of a request class holds: the status and the raw body go back to PTB, which raises
its errors from them (`RetryAfter`, `Forbidden`, …); a timeout becomes `TimedOut`, a connection failure
`NetworkError`; `initialize`/`shutdown` open and close both clients; a proxy set in the environment
(HTTPS_PROXY, NO_PROXY …) is used as httpx uses it. aiohttp has no write timeout of its own: a JSON
call's body is small, and the read timeout covers a server that stops answering.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter
from yarl import URL

log = logging.getLogger(__name__)

JSON_HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT, "Content-Type": "application/json"}


class JsonRequest(HTTPXRequest):
    def __init__(self, connection_pool_size: int = 1, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)
        self._connections = connection_pool_size
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}  # see _proxy

    async def initialize(self) -> None:
        await super().initialize()
        self._open_session()

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
        await super().shutdown()

    async def call(self, url: str, parameters: dict[str, Any]) -> Any:
        """A Bot API call with JSON parameters, its JSON result back: what PTB's `Bot` does around it —
        building its objects from our dictionaries and the answer's `Message` from JSON, for the one id we
        keep — was ~5 % of the bot's samples. PTB's errors are raised as for its own calls."""
        data = RequestData([RequestParameter(name, value, None) for name, value in parameters.items()])
        return await self.post(url, data)

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections), skip_auto_headers=("Accept",)
            )
        return self._session

    def _proxy(self, url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """The proxy from the environment (HTTPS_PROXY, NO_PROXY …), as httpx uses it for PTB's calls —
        looked up once per server: aiohttp's `trust_env` reads the environment (and ~/.netrc) again on every
        request, ~300 µs of CPU each here."""
        target = URL(url)
        origin = f"{target.scheme}://{target.host}:{target.port}"
        if origin not in self._proxies:
            try:
                self._proxies[origin] = get_env_proxy_for_url(target)
            except LookupError:  # none set, or NO_PROXY names this host
                self._proxies[origin] = (None, None)
        return self._proxies[origin]

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
        if method != "POST" or request_data is None or request_data.contains_files:
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

        connect = pick(connect_timeout, defaults.connect)
        pool = pick(pool_timeout, defaults.pool)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` includes the wait for a free connection (httpx's pool timeout)
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=pick(read_timeout, defaults.read),
        )
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        proxy, proxy_auth = self._proxy(url)
        try:
            async with self._open_session().post(
                url, data=body, headers=JSON_HEADERS, timeout=timeout, proxy=proxy, proxy_auth=proxy_auth
            ) as response:
                payload = await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are asyncio's TimeoutError
            raise TimedOut from error
        except (aiohttp.ClientError, asyncio.IncompleteReadError) as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        if log.isEnabledFor(logging.INFO):  # the line httpx logs for each request (`nocert -v run`)
            log.info('HTTP Request: POST %s "%s %s"', url, response.status, response.reason)
        return response.status, payload
