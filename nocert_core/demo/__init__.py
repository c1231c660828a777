"""The demo data set: Weifang units (units.csv) and a few complaints in various states (foundation.py)."""
