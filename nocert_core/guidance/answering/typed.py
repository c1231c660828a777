"""A service the person names by its whole name, as the catalogue writes it ("要办新生儿参加居民医保"): that
one, before a service the lexicon's reading of some of the words points to (居民医保 → 城乡居民基本医疗保险
参保登记). Domain-wide: it reads the catalogue's own names, not any list of words."""

from __future__ import annotations

from nocert_core.guidance.search.index import GuidanceIndex

MIN_NAME = 5  # characters: shorter names (结婚登记) are as often part of what the person says
WINDOW = 0.5  # the named service must score at least this share of the best


def _named(index: GuidanceIndex, said: str, doc: int) -> bool:
    """The service's whole name (long enough to be meant) is in what was said (spaces taken out)."""
    key = index.services[doc].key
    return len(key) >= MIN_NAME and key in said


def typed_name_first(
    index: GuidanceIndex, text: str, ranked: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The close service whose whole (normalised) name is in the question comes first, the longest such
    name if several are (涉外结婚登记 over 结婚登记); it takes the best score."""
    if len(ranked) < 2:
        return ranked
    said = text.replace(" ", "")
    best = ranked[0][1]
    named = [
        (len(index.services[doc].key), -rank, doc)  # (the longest name; of twins, the one ranked first)
        for rank, (doc, score) in enumerate(ranked)
        if score >= best * WINDOW and _named(index, said, doc)
    ]
    if not named:
        return ranked
    chosen = max(named)[2]
    if index.services[chosen].key == index.services[ranked[0][0]].key:
        return ranked  # (the same service at another level or place: the place decides)
    return [(chosen, best)] + [item for item in ranked if item[0] != chosen]


def typed_no_tie(
    index: GuidanceIndex, text: str, ranked: list[tuple[int, float]], tied: list[int]
) -> list[int]:
    """Siblings are not asked about when the person typed the first one's whole name and no other's ("医师
    执业注册免提交哪些" beside 医师变更执业注册): the name said is the service meant."""
    if not tied or not ranked or ranked[0][0] not in tied:
        return tied
    said = text.replace(" ", "")
    typed = [doc for doc in tied if _named(index, said, doc)]
    return [] if typed == [ranked[0][0]] else tied


__all__ = ["typed_name_first", "typed_no_tie"]
