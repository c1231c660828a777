"""How often a benefit is paid: a one-off payment and a periodic one are different services (一次性抚恤金 /
定期抚恤金, 一次性经济补助 / 定期生活补助). Domain-wide words, said by people and service names alike."""

from __future__ import annotations

from nocert_core.guidance.search.index import GuidanceIndex

ONE_OFF = ("一次性",)
PERIODIC = ("定期", "按月", "每月", "按季", "按年")


def _frequency(text: str) -> str | None:
    one_off, periodic = any(w in text for w in ONE_OFF), any(w in text for w in PERIODIC)
    return "one-off" if one_off and not periodic else "periodic" if periodic and not one_off else None


def for_frequency(
    index: GuidanceIndex, text: str, ranked: list[tuple[int, float]]
) -> tuple[list[tuple[int, float]], bool]:
    """The person says one-off (一次性补助) and a service is paid periodically (定期生活补助), or the other
    way round: that service is taken out. The next one keeps its own score (no other service is assumed to be
    the one meant). (ranked, True) when every service found is paid the other way: not known, never the
    periodic one's rule."""
    said = _frequency(text) if ranked else None
    if said is None:
        return ranked, False
    kept = [item for item in ranked if _frequency(index.services[item[0]].key) in (None, said)]
    return (kept, False) if kept else (ranked, True)


__all__ = ["for_frequency"]
