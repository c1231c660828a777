"""Imports every module that registers outbox renderers."""

from __future__ import annotations
