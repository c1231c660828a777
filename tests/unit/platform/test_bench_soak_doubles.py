"""bench/soak.py ties each staff message received twice to the next SIGKILL after its first receipt: the
window that may double a message (a kill between the Bot API's answer and the outbox's record) shows as a
kill a fraction of a second later."""

from __future__ import annotations

from types import SimpleNamespace

from bench.soak_results import doubles_next_kill


def sent(text: str, method: str = "sendMessage") -> SimpleNamespace:
    return SimpleNamespace(text=text, method=method)


def test_a_message_received_twice_is_reported_with_the_seconds_to_the_next_kill() -> None:
    staff = {
        900001: [(sent("⏰ TS-1"), 10.0), (sent("TS-2"), 11.0), (sent("⏰ TS-1"), 40.0)],
        900002: [(sent("TS-2"), 12.0), (sent("TS-2", "editMessageText"), 13.0), (sent("TS-3"), 50.0)],
    }
    assert doubles_next_kill(staff, [5.0, 10.25, 30.0]) == [0.25]


def test_a_message_doubled_after_the_last_kill_has_no_kill_to_blame() -> None:
    staff = {900001: [(sent("TS-1"), 60.0), (sent("TS-1"), 90.0)]}
    assert doubles_next_kill(staff, [5.0, 30.0]) == [None]
