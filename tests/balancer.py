"""A small loopback round-robin HTTP balancer for tests: each request goes to the next upstream in turn;
an upstream that refuses the connection is skipped (the next one gets the request), as a reverse proxy
with passive health checks would do. `hits` counts the requests each upstream answered."""

from __future__ import annotations

import itertools
from collections import Counter

from aiohttp import ClientError, ClientSession, ClientTimeout, web

HOP_BY_HOP = frozenset({"host", "content-length", "transfer-encoding", "connection"})


class RoundRobinBalancer:
    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams  # base URLs, e.g. "http://127.0.0.1:8081"
        self.hits: Counter[str] = Counter()
        self.base_url = ""
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None

    async def __aenter__(self) -> RoundRobinBalancer:
        self._session = ClientSession(timeout=ClientTimeout(total=30))
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"  # type: ignore[attr-defined]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {key: value for key, value in request.headers.items() if key.lower() not in HOP_BY_HOP}
        start = next(self._turn)
        for offset in range(len(self.upstreams)):
            upstream = self.upstreams[(start + offset) % len(self.upstreams)]
            try:
                async with self._session.request(
                    request.method, upstream + request.path_qs, data=body, headers=headers
                ) as response:
                    payload = await response.read()
                    self.hits[upstream] += 1
                    return web.Response(
                        status=response.status, body=payload, content_type=response.content_type
                    )
            except (ClientError, OSError):
                continue  # that instance is down: the next one
        return web.Response(status=502, text="no upstream")
