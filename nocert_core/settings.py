"""Settings from the environment or `.env`, all prefixed ``NOCERT_``."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nocert_core.env import DEFAULT_LOCALE, DEFAULT_TIMEZONE, default_data_dir, default_database_url

__all__ = ["Settings", "default_data_dir", "default_database_url", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOCERT_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    timezone: str = DEFAULT_TIMEZONE
    locale: str = DEFAULT_LOCALE
    redis_url: str | None = None
    telegram_token: SecretStr | None = None  # never printed: repr and logs show **********
    telegram_api_url: str = "https://api.telegram.org"
    bot_username: str = "nocert_bot"

    # Rule parameters (docs/regulations.md: a renewed regulation changes settings, not code).
    handling_working_days: int = 5  # R5 Art.10
    max_extension_working_days: int = 10  # R5 Art.10
    adjustment_filing_working_days: int = 2  # R3 Art.8
    verification_working_days: int = 3  # R2 Art.8: "within the time limit" when not at once
    acceptance_alert_working_days: int = 1
    escalation_working_days: int = 5
    extension_decision_working_days: int = 1
    # R5 Art.4 categories in use; a complaint the screening puts in a disabled one is filed as "other".
    categories: list[str] = ["demanded_proof", "list_not_followed", "verification_late", "other"]

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        known = ("demanded_proof", "list_not_followed", "verification_late", "other")
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"unknown complaint categories {unknown}; known: {', '.join(known)}")
        return value if "other" in value else [*value, "other"]

    invite_valid_days: int = 7
    # Flooding (issue 10): each user's updates are paced (handlers/dispatch/flood.py; 0 = off), and a citizen
    # files at most this many complaints a day (0 = no cap; complaints staff register for callers are exempt).
    rate_limit_per_minute: int = 30
    rate_limit_burst: int = 15
    max_complaints_per_day: int = 5
    max_text_length: int = 2000
    # Database connections (issues 15, 11). `db_pool_size` are kept open: each update in progress holds
    # one for its transaction, so a Telegram runtime handles at most db_pool_size − a quarter (at most 4)
    # updates at once; that quarter is kept for the webhook's inbox writes. Up to `db_max_overflow` more
    # are opened for bursts (the outbox worker, the lease, adoption, /readyz) and closed again. One instance
    # opens at most db_pool_size + db_max_overflow: with N instances keep N × that below the server's
    # max_connections minus its superuser_reserved_connections (docs/deployment.md).
    db_pool_size: int = 16
    db_max_overflow: int = 8
    digest_time: str = "09:00"

    # Oversight (issue 5): sweeps, hotspots (R5 Art.12), rectification follow-up (R4 Art.9), outbox delivery.
    sweep_interval_minutes: int = 5
    weekly_report_day: str = "mon"  # APScheduler day_of_week; the report covers the previous week
    weekly_report_time: str = "09:30"
    hotspot_unit_min_complaints: int = 3
    hotspot_unit_window_days: int = 7
    hotspot_topic_min_complaints: int = 3
    hotspot_topic_min_units: int = 2
    hotspot_topic_window_days: int = 30
    rectification_follow_up_days: int = 30  # 回头看: calendar days after a rectification is accepted
    outbox_rate_per_second: float = 30.0  # Telegram: about 30 messages/s overall
    outbox_chat_interval_seconds: float = 1.0  # and 1 message/s per chat
    outbox_max_attempts: int = 20
    # A row is leased only when its chat's send slot is free, so the lease covers one send (with its
    # retries for replies); a crash blocks that chat's queue for at most this long.
    outbox_lease_seconds: int = 30
    reports_dir: str = ""  # where scheduled reports are written; default: <data dir>/reports

    # Imports (issue 9): file limits, and how much of what exists an import may remove or replace before
    # it needs --replace / --replace-year.
    import_max_rows: int = 50_000
    import_max_bytes: int = 20 * 1024 * 1024  # a CSV's size, or an XLSX's uncompressed size
    import_replace_share: float = 0.10
    # Retention (issue 9): idle dialog drafts (names, phones) and delivered outbox rows are deleted after
    # this many days.
    draft_retention_days: int = 30
    outbox_retention_days: int = 30

    @field_validator("outbox_retention_days")
    @classmethod
    def _outbox_kept_past_a_week(cls, value: int) -> int:
        # The weekly report and the digests find out whether they were sent by their outbox rows.
        if value < 8:
            raise ValueError(
                "outbox_retention_days must be at least 8 (the weekly report checks last week's rows)"
            )
        return value

    # Web console (issue 14): sign-in links from /web or `nocert staff web-link`, browser sessions.
    webhook_secret: SecretStr | None = None  # checked against X-Telegram-Bot-Api-Secret-Token (webhook mode)
    # Several instances (issue 11): a user's lock in Redis, the scheduler lease in the database.
    user_lock_seconds: float = 6.0  # the lock's life, extended while held (a killed holder blocks this long)
    user_lock_wait_seconds: float = 60.0  # waiting longer leaves the update in the inbox for a later turn
    leader_lease_seconds: int = 45  # the scheduler lease; a dead holder is replaced within 4/3 of this
    elect_scheduler: bool | None = None  # None: on in webhook mode (the way to run several instances)
    web_listen: str | None = None  # "127.0.0.1:8080": `nocert run` also serves the web console there
    web_base_url: str = "http://127.0.0.1:8080"  # how people reach it (sign-in links point here)
    web_secret: str | None = None  # signs cookies and CSRF tokens; set it when running several instances
    web_link_valid_minutes: int = 10
    web_session_hours: int = 8
    web_opinions_per_hour: int = 5  # public opinions per browser and address (R3 Art.10)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
