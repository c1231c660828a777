"""Safeguards on a confident answer: when the decision itself was unsure, ask rather than say "not needed".

The steps after the ranking (what is done, whose service, the listed proof's evidence, defaults such as "a
bare licence is its first issue") may put first a service the ranking had not. That is often right; but when
a service the ranking put at least as high names a word the person typed that the chosen one's name lacks,
the decision went against the person's own words: the bot offers both and asks (the `clarify` answer) rather
than answer for one — a wrong guess says "not needed" for a service the person did not mean. Only a short
question: a story's words are mostly its background (the earlier divorce of "…准备再婚"), not the service —
but its last clauses ask the question (…现在申请这个特别扶助金，独生子女证还得交吗): a word typed there that
the chosen service lacks and a close service has leaves the answer as unsure (`overruled_asking`).
"""

from __future__ import annotations

from nocert_core.guidance.answering.decide import is_word, minimal, unplaced
from nocert_core.guidance.search.index import GuidanceIndex

LOOKED_AT = 8  # the best services of the ranking checked
SHORT = 40  # characters: a longer question is a story
TIE = 0.999  # a service scored this close to the chosen one is ranked as high (sums of floats differ a hair)
STORY_WINDOW = 0.8  # …in a story's asking clauses, a service this close (the ranking weighs the whole story)
ASKING_CLAUSES = 2  # a story's last clauses: the one asking and the one before it (what it is for)


def overruled(
    index: GuidanceIndex,
    placed: list[tuple[int, float]],
    chosen: int,
    text: str,
    own: dict[str, float],
    window: float = TIE,
) -> list[int]:
    """Services the ranking (`placed`: scored, the named place weighed) put at least as high as `chosen`
    whose names hold a word the person typed (in `text`) that the chosen one's name lacks — never the
    chosen service's twin of another place (the place decides that). Empty: the answer stands."""
    score = next((s for doc, s in placed if doc == chosen), None)
    if score is None or len(text) > SHORT:
        return []
    forward = index.forward[chosen]
    typed = [
        term
        for term in minimal(own)
        if is_word(term)
        and term in text  # (typed, not a lexicon word the phrase was read as)
        and term not in forward
    ]
    if not typed:
        return []
    key = unplaced(index, index.services[chosen].key)
    return [
        doc
        for doc, other in placed[:LOOKED_AT]
        if doc != chosen
        and other >= score * window
        and unplaced(index, index.services[doc].key) != key
        and any(term in index.forward[doc] for term in typed)
    ]


def overruled_asking(
    index: GuidanceIndex, placed: list[tuple[int, float]], chosen: int, text: str, own: dict[str, float]
) -> list[int]:
    """`overruled` for a story (`text` longer than SHORT, clauses separated by spaces, the proofs asked
    about blanked): only the words of its last clauses count as typed, and a service within STORY_WINDOW
    of the chosen one counts as ranked as high."""
    if len(text) <= SHORT:
        return []
    asking = "".join(text.split()[-ASKING_CLAUSES:])
    return overruled(index, placed, chosen, asking, own, STORY_WINDOW)


__all__ = ["overruled", "overruled_asking"]
