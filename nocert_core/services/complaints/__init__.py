"""Complaints (R5): handling, intake helpers, cards, pressing, the register, the deadline sweep."""
