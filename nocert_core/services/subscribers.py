"""Imports every module that subscribes event handlers (notifications, alerts)."""

from __future__ import annotations
import nocert_core.services.notify_complaints  # noqa: F401, E402
