"""The HTTP side of nocert (issue 14): one aiohttp application for the web console, the public guidance page
and, later, Telegram webhooks, /healthz and /metrics (issue 11). See docs/web.md."""
