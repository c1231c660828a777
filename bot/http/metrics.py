"""Prometheus metrics of one bot process (`/metrics`), names prefixed `nocert_`.

Each process (and each instance a test starts in one process) has its own registry, so several
instances in one interpreter do not clash. Counters and the latency histogram are per process; the
outbox figures (backlog, oldest pending age, alerts sent) are read from the database at scrape time
and are therefore the same on every instance.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from nocert_core.clock import Clock

if TYPE_CHECKING:
    from bot.jobs.leadership import Leadership
from nocert_core.services.messaging.outbox_status import Backlog

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "nocert_updates_handled", "Telegram updates handled.", ["mode"], registry=self.registry
        )
        self.latency = Histogram(
            "nocert_update_latency_seconds",
            "From accepting an update to its replies sent.",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.dialog_errors = Counter(
            "nocert_dialog_errors", "Updates whose handling failed.", registry=self.registry
        )
        self.loop_lag = Histogram(
            "nocert_event_loop_lag_seconds",
            "How late the event loop ran a timer (bot/jobs/loop_watch.py).",
            buckets=LAG_BUCKETS,
            registry=self.registry,
        )
        self.sends = Counter(
            "nocert_sends", "Bot API send calls by result.", ["result"], registry=self.registry
        )
        self.webhook_rejections = Counter(
            "nocert_webhook_rejections", "Webhook requests refused (wrong secret).", registry=self.registry
        )
        self.backlog: Backlog | None = None  # refreshed before each scrape
        self.clock: Clock | None = None
        self.leader: Leadership | None = None  # several instances: whether this one runs the scheduled jobs
        self.registry.register(_OutboxCollector(self))


class _OutboxCollector(Collector):
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        if self.metrics.leader is not None:
            yield GaugeMetricFamily(
                "nocert_scheduler_leader",
                "1 when this instance holds the scheduler lease (runs sweeps, digest, reports).",
                value=1.0 if self.metrics.leader.leading else 0.0,
            )
        backlog, clock = self.metrics.backlog, self.metrics.clock
        if backlog is None or clock is None:
            return
        yield GaugeMetricFamily("nocert_outbox_backlog", "Outbox rows not yet sent.", value=backlog.pending)
        yield GaugeMetricFamily(
            "nocert_outbox_oldest_pending_age_seconds",
            "Age of the oldest unsent outbox row (0 when none).",
            value=_age(backlog.oldest_pending_at, clock.now()),
        )
        yield CounterMetricFamily(
            "nocert_alerts_sent", "Alert messages sent (outbox rows kind alert.*).", value=backlog.alerts_sent
        )


def _age(oldest: datetime | None, now: datetime) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
