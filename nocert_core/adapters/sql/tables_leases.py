"""Job leases: which instance runs the once-per-deployment jobs (sweeps, digest, weekly report, hotspots,
retention) while several run the bot. One row per lease name; its holder renews it before `expires_at`;
when the holder dies the row expires and the next instance to ask takes it
(nocert_core/services/platform/leases.py).
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table
from sqlalchemy.orm import registry

from nocert_core.adapters.sql.orm import UtcDateTime, metadata

job_leases = Table(
    "job_leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),  # when this holder took it (not a renewal)
)


def map_tables(mapper_registry: registry) -> None:
    """Nothing to map: nocert_core/services/platform/leases.py uses Core statements."""
