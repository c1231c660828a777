"""Screening advice for staff (R5 Art.4, Art.8): what a complaint's text says and which grounds may apply."""
