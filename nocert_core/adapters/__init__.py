"""Adapters: storage, calendar data, text analysis, outbox."""
