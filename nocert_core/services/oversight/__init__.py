"""Oversight (R4, R5 Art.12–13): alerts, hotspots, dashboard, digests, reports, rectification."""
