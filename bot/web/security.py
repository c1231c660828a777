"""Signed cookies and CSRF tokens for the web console.

The session cookie carries a random session secret (its SHA-256 hash is the database key) signed with
HMAC-SHA256 under `NOCERT_WEB_SECRET`, so a forged or altered cookie is dropped before the database is
asked. CSRF: every form carries a token that is an HMAC of the browser's session secret (or, before sign-in,
of a random per-browser cookie); a cross-site page can neither read the cookie nor compute the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets

log = logging.getLogger(__name__)

SESSION_COOKIE = "nocert_session"
BROWSER_COOKIE = "nocert_browser"  # anonymous browsers: the key of their CSRF tokens and rate limits
CSRF_FIELD = "_csrf"


class Signer:
    def __init__(self, secret: str | None) -> None:
        if not secret:
            # One process can live with a random key (sessions end when it restarts); several instances
            # behind a balancer need the same NOCERT_WEB_SECRET.
            log.warning("NOCERT_WEB_SECRET is not set: web sessions end when this process stops")
            secret = secrets.token_urlsafe(32)
        self._key = hashlib.sha256(secret.encode()).digest()

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, purpose: str, value: str) -> str:
        return f"{value}.{self._mac(purpose, value)}"

    def unsign(self, purpose: str, signed: str | None) -> str | None:
        if not signed or "." not in signed:
            return None
        value, mac = signed.rsplit(".", 1)
        return value if hmac.compare_digest(mac, self._mac(purpose, value)) else None

    def csrf_token(self, browser_secret: str) -> str:
        return self._mac("csrf", browser_secret)

    def csrf_ok(self, browser_secret: str | None, token: str | None) -> bool:
        if not browser_secret or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(browser_secret))

    def client_key(self, *parts: str) -> str:
        """A stable pseudonym (for rate limits): the address never appears in clear."""
        return self._mac("client", "|".join(parts))[:24]
