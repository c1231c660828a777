"""Answering once the question is read: its services ranked and decided (place bias, ask instead of guess,
safeguards), the intent, and the pair, certificate and service lookups (`respond.answer` is the entry)."""
