"""Imports every feature's table module so `metadata` is complete (migrations, create_all)."""

from __future__ import annotations
