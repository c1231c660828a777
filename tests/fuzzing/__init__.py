"""A seeded, bounded fuzzer for the conversations (issue 10): random walks through every dialog by role,
with valid answers, hostile text, unknown commands, the buttons the bot showed, mutations of them and
callback data forged from the codec's shapes; and damaged files for the importers. Used by
tests/integration/security/test_fuzz.py (the Dispatcher, a few hundred inputs) and bench/fuzz.py (the real
aiogram and python-telegram-bot runtimes over the fake Bot API, ≥ 10,000 inputs each).

- `inputs` — what a user may send: valid and hostile text, commands, callback fields, a plausible answer per
  dialog step, and `InputMaker` (mutated and forged button data);
- `walks` — the walk of one user (`walk`), what it finds (`Findings`, `TracebackCatcher`) and the check that
  the user is still served afterwards (`check_not_stuck`);
- `files` — import files started from a valid one and damaged.
"""
