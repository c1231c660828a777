"""Supervision in chat (R5 Art.13, R4 Art.8–9) and the oversight renderers."""
