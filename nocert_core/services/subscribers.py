"""Imports every module that subscribes event handlers (notifications, alerts)."""

from __future__ import annotations
