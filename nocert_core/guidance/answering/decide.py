"""Decisions on a ranked list of services: the place the person named, and whether to ask instead of guess.

- `place_bias`: the units of a named, covered place first (a district branch's service over the city
  bureau's twin); with no place named, the city-level unit before a district branch.
- `sibling_tie`: sibling services (names mostly alike, not the same name) within CLARIFY_CLOSE of the best
  that the person's own words do not tell apart — 住房公积金提取（购房）/（租房）/（退休） for "公积金提取":
  the bot asks which one rather than guess (a wrong guess can say "not needed" for the wrong service).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from functools import lru_cache

from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.text import dice, normalise
from nocert_core.guidance.siblings.kinds import CLASS_MARK, classes_of

CLARIFY_CLOSE = 0.8  # siblings this close to the best, not told apart by the person's words: ask
CLARIFY_NAMES = 0.5
PLACE_BOOST = 1.5  # services of the place the person named
BELOW = 0.999  # …but never above a better-fitting other service of the city
LOCAL_PENALTY = 0.85  # a district branch's service when no place is named (the city-level one first)
SIBLINGS = 8
SAME_WORDS_NAMES = 0.25
TIE_WINDOW = 0.6  # siblings the person's words match alike (夫妻投靠落户 / 父母投靠子女落户): ask
# (申领 a benefit is not 转移接续 of the insurance relation it comes from)
PROCEDURES = ("提取", "登记", "认定", "补贴", "贷款", "许可", "备案", "注册", "审批", "转移", "接续")
MOST_WORDS = 12  # more of the person's words than any service name holds: not checked
DOMINANT_WINDOW = 0.5  # a service this close with all the best one's own words and more comes first
# What is done to a licence one already holds (renewed, replaced): a bare "X" is the first one; a change or a
# cancellation is another procedure, so a bare "X登记" may be any of them (ask) unless the person applies.
AFTER = frozenset(["renew", "replace", "expiry", "damage", "check"])
APPLICATION = re.compile(r"申请|申领|审核确认")  # a benefit's application, as services name it
SIBLING_LOW = 0.3  # …this close when the person's own words score them alike (the lexicon's guess differs)


# "我申请的是农村的", "要办的是换证": which one of the things named the person means.
CHOSEN = re.compile(r"(?:申请|办|办理|领|问)的是([\u4e00-\u9fff]{1,8}?)的?(?:[，,。？?！!\s]|$)")


def place_bias(
    index: GuidanceIndex,
    ranked: list[tuple[int, float]],
    scope: set[str] | None,
    own: dict[str, float] | None = None,
) -> list[tuple[int, float]]:
    """A named (covered) place's units first; with no place named, the city-level unit before a
    district branch offering the same service."""
    if not ranked:
        return ranked
    biased = []
    # The place decides between a service's listings, never between services: a place's unit's service
    # is not lifted above another service of the city that has more of the person's own words (`own`;
    # "在新泰…职工死亡提取公积金": the city's death withdrawal, not the branch's rent withdrawal).
    outside: list[tuple[float, str, int]] = []  # the two best services outside the place, distinct names
    if scope is not None and own:
        for doc_index, score in ranked:
            unit = index.services[doc_index].unit_code or index.services[doc_index].unit
            if unit not in scope and unit not in index.places.local_units:
                key = unplaced(index, index.services[doc_index].key)
                if all(key != known for _score, known, _doc in outside):
                    outside.append((score, key, doc_index))
                    if len(outside) == 2:
                        break
    for doc_index, score in ranked:
        unit = index.services[doc_index].unit_code or index.services[doc_index].unit
        if scope is not None and unit in scope:
            boosted = score * PLACE_BOOST
            key = unplaced(index, index.services[doc_index].key)
            other = next(((best, doc) for best, known, doc in outside if known != key), None)
            if (
                own
                and other is not None
                and score < other[0] <= boosted
                and own_score(index, other[1], own) > own_score(index, doc_index, own)
            ):
                boosted = other[0] * BELOW  # just below it: the one with more of the person's words first
            score = boosted
        elif scope is not None:  # (another district's branch after the city unit, which serves every place)
            score *= LOCAL_PENALTY if unit in index.places.local_units else 1.0
        elif unit in index.places.local_units:
            score *= LOCAL_PENALTY
        biased.append((doc_index, score))
    return sorted(biased, key=lambda item: -item[1])


QUALIFIER = re.compile(r"[（(［\[【]([^）)］\]】]*)[）)］\]】]")


def _base(name: str) -> str:
    """A service name without its bracketed qualifier (住房公积金提取（购房） → 住房公积金提取)."""
    return QUALIFIER.sub("", name).strip()


def qualified_by_words(index: GuidanceIndex, tied: list[int], own: dict[str, float]) -> int | None:
    """Of siblings that differ by a bracketed qualifier (低保审核确认（城市）/（农村）, 护照签发【补发】),
    the one whose qualifier alone holds a word the person said ("城市低保") — though the word may score
    nothing (every 聊城市… unit's name holds 城市 too). Words of the shared name (申领) decide nothing."""
    qualifiers = {doc: normalise("".join(QUALIFIER.findall(index.services[doc].name))) for doc in tied}
    bases = "".join(normalise(_base(index.services[doc].name)) for doc in tied)
    words = {term.lstrip("#") for term in own if not term.startswith(CLASS_MARK)}
    words = {word for word in words if len(word) >= 2 and word not in bases}
    fits = [doc for doc in tied if any(word in qualifiers[doc] for word in words)]
    return fits[0] if len(fits) == 1 else None


_MINIMAL: dict[tuple[tuple[str, float], ...], dict[str, float]] = {}
MINIMAL_MEMO = 1024


def minimal(own: dict[str, float]) -> dict[str, float]:
    """The person's own words without those containing another of them (投靠落户 when 投靠 and 落户 are
    there): a compound one name happens to contain says nothing more than its parts. (Remembered: the
    steps of one answer ask it of the same words; quadratic in them.)"""
    items = tuple(own.items())
    found = _MINIMAL.get(items)
    if found is None:
        bare = {term: term.lstrip("#") for term in own}
        found = {
            term: weight
            for term, weight in items
            if not any(o != term and bare[o] != bare[term] and bare[o] in bare[term] for o in own)
        }
        if len(_MINIMAL) >= MINIMAL_MEMO:
            _MINIMAL.clear()
        _MINIMAL[items] = found
    return dict(found)


def is_word(term: str) -> bool:
    """A word the person said: two characters or more, not a character pair (#…) nor an action class."""
    return not term.startswith(("#", CLASS_MARK)) and len(term) >= 2


def actions_said(own: Iterable[str]) -> set[str]:
    """The action classes among the person's terms (renew, cancel…), without their mark."""
    return {term.removeprefix(CLASS_MARK) for term in own if term.startswith(CLASS_MARK)}


def own_score(index: GuidanceIndex, doc: int, own: dict[str, float]) -> float:
    forward = index.forward[doc]
    return sum(weight * forward[term] for term, weight in own.items() if term in forward)


def _same_words(index: GuidanceIndex, doc: int, top: int, own: dict[str, float]) -> bool:
    """Both services match the same (non-empty) set of the person's own words, and share some of the name."""
    mine = {term for term in own if term in index.forward[doc]}
    theirs = {term for term in own if term in index.forward[top]}
    if not mine or mine != theirs:
        return False
    return dice(index.services[doc].grams, index.services[top].grams) >= SAME_WORDS_NAMES


_UNPLACED: weakref.WeakKeyDictionary[GuidanceIndex, tuple[list[str], dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def unplaced(index: GuidanceIndex, key: str) -> str:
    """A service name without the place names in it (临淄区小学一年级新生入学报名 → 小学一年级新生入学报名):
    the same service of another place is decided by the place, never asked. (Per index, computed once per
    name: a name is checked against every place form.)"""
    known = _UNPLACED.get(index)
    if known is None:
        forms = sorted((f for f in index.places.covered if len(f) >= 2), key=len, reverse=True)
        known = _UNPLACED[index] = (forms, {})
    forms, done = known
    found = done.get(key)
    if found is None:
        found = key
        for form in forms:
            if form in found:
                found = found.replace(form, "")
        done[key] = found
    return found


@lru_cache(maxsize=16384)
def _procedures(key: str) -> frozenset[str]:
    return frozenset(head for head in PROCEDURES if head in key)


def sibling_tie(
    index: GuidanceIndex, ranked: list[tuple[int, float]], own: dict[str, float], applying: bool = False
) -> list[int]:
    """Sibling services that the person's own words do not tell apart: the bot should ask which one (best
    first). Siblings: names mostly alike (or the same name without its bracketed qualifier) within
    CLARIFY_CLOSE of the best, within TIE_WINDOW when the person's words match them alike, or within
    SIBLING_LOW when only the lexicon's guess (抚恤金 for 丧葬补助金) put one ahead of the other."""
    if len(ranked) < 2:
        return []
    own = minimal(own)
    best_doc = ranked[0][0]
    tied = _tied(index, ranked, own)
    if len(tied) < 2:
        return []
    qualified = qualified_by_words(index, tied, own)
    if qualified is not None:
        return [qualified]
    said = {term for term in own if term.startswith(CLASS_MARK)}
    kinds = {doc: classes_of(index.services[doc].key) for doc in tied}
    bare = [doc for doc in tied if not kinds[doc]]
    # (a base named as the first issue — 食品经营许可（新办） beside its 延续/变更/注销 — is the base too)
    first = said == {CLASS_MARK + "new"}  # "第一次办": the first issue, whatever its name (核发, 申领)
    # (…and the one named as the first issue: 食品经营许可（新办）, not its 延续 — for "开个小饭馆")
    bare = bare or ([doc for doc in tied if kinds[doc] == {"new"}] if first else [])
    # A benefit named alone, no procedure word (低保要房本吗), beside its application (最低生活保障申请): the
    # application is asked about, not a change made to it later (家庭成员变更) — unlike a licence's
    # registrations (个体工商户设立/变更/注销登记), each of which "the licence" may mean.
    thing_only = (
        len(bare) == 1
        and APPLICATION.search(index.services[bare[0]].key) is not None
        and not any(head in term for head in PROCEDURES for term in own)
    )
    after = (lambda k: "new" not in k) if applying or first or thing_only else (lambda k: k <= AFTER)
    if (
        (not said or first)
        and len(bare) == 1
        and all(kinds[d] and after(kinds[d]) for d in tied if d != bare[0])
    ):
        # "办居住证": 居住证申领, not its 签注 (renewal) — nothing the person said is a renewal; and applying
        # for the licence (办营业执照) is not changing or cancelling it. "X登记" alone may be any of them.
        return bare
    weights = {
        doc_index: sum(w for term, w in own.items() if term in index.forward[doc_index]) for doc_index in tied
    }
    best_weight = weights[best_doc]
    return [d for d in tied if abs(weights[d] - best_weight) < 1e-9 and weights[d] >= max(weights.values())]


def _tied(index: GuidanceIndex, ranked: list[tuple[int, float]], own: dict[str, float]) -> list[int]:
    """The best service and the siblings ranked close enough to it, by the rules of `sibling_tie`."""
    best_doc, best = ranked[0]
    top = index.services[best_doc]
    top_grams = top.grams
    top_own = own_score(index, best_doc, own)
    tied = [best_doc]
    local = index.places.local_units
    procedures_said = {head for head in PROCEDURES if any(head in term for term in own)}
    for doc_index, score in ranked[1:SIBLINGS]:
        doc = index.services[doc_index]
        if unplaced(index, doc.key) == unplaced(index, top.key) or ((doc.unit_code or doc.unit) in local) != (
            (top.unit_code or top.unit) in local
        ):
            continue  # the same service elsewhere, or another level's twin: the place decides, not a question
        mine, theirs = _procedures(doc.key), _procedures(top.key)
        if not mine & theirs and (mine ^ theirs) - procedures_said:
            continue  # another procedure about the same thing (低保 申请 vs a 提取 for 低保 families), unsaid
        alike = dice(doc.grams, top_grams) >= CLARIFY_NAMES
        alike = alike or _base(doc.name) == _base(top.name)  # 食品经营许可（新办） / （延续）
        # (the same words matched is no tie between procedures: 低保 is not 公积金提取（低保家庭）)
        same = _same_words(index, doc_index, best_doc, own) and _procedures(doc.key) == _procedures(top.key)
        if (
            (score >= best * CLARIFY_CLOSE and alike)
            or (score >= best * TIE_WINDOW and (alike or same))
            or (
                score >= best * SIBLING_LOW
                and same
                and own_score(index, doc_index, own) >= top_own * CLARIFY_CLOSE
                and _procedures(doc.key) == _procedures(top.key)  # 贷款 is not 提取（偿还贷款）
            )
        ):
            tied.append(doc_index)
    return tied


def more_of_own_words(
    index: GuidanceIndex,
    ranked: list[tuple[int, float]],
    own: dict[str, float],
    phrases: Sequence[str] = (),
) -> list[tuple[int, float]]:
    """A close service whose name has every word the person said (烈士遗属定期抚恤金申领 for "烈士遗属领定期
    抚恤金", where a lexicon phrase put 丧葬补助金和抚恤金申领 first) while the best lacks some: that one
    first. Names need not be alike — the person's words decide; a service lacking one of them (不动产抵押
    for 汽车抵押) is never moved up by the others. `phrases`: the one official phrase each idiom of the
    person's means (上户口 → 出生登记); a best service holding one whole is not passed over for one holding
    only the idiom's characters (户口 of 户口登记项目变更(出生日期))."""
    said = [term for term in own if is_word(term)]
    if len(ranked) < 2 or len(said) > MOST_WORDS:
        return ranked  # (a story: no service name holds every word of it, and minimal() is quadratic)
    own = minimal(own)
    words = {term for term in own if is_word(term)}
    best_doc, best = ranked[0]
    mine = {term for term in own if term in index.forward[best_doc]}
    held = [phrase for phrase in phrases if phrase in index.services[best_doc].key]
    said_done = actions_said(own)
    base_done = classes_of(index.services[best_doc].key) | said_done | {"new"}
    chosen, most = None, mine
    for doc_index, score in ranked[1:SIBLINGS]:
        if score < best * DOMINANT_WINDOW:
            break
        if any(phrase not in index.services[doc_index].key for phrase in held):
            continue
        if classes_of(index.services[doc_index].key) - base_done:
            continue  # (a correction, a renewal … nobody said: never moved above the base service)
        theirs = {term for term in own if term in index.forward[doc_index]}
        extra = [
            term for term in theirs - most if not term.startswith(CLASS_MARK) and len(term.lstrip("#")) >= 2
        ]
        if most < theirs and extra and words <= theirs:
            chosen, most = doc_index, theirs
    if chosen is None:
        return ranked
    return [(chosen, best)] + [item for item in ranked if item[0] != chosen]


def unsaid_done_last(
    index: GuidanceIndex, ranked: list[tuple[int, float]], own: dict[str, float]
) -> list[tuple[int, float]]:
    """The best service does something to what one already holds (认证, 换证, 注销 …) that the person did
    not say, and a close one with all the person's words it has does nothing of the kind: that one first
    (高龄津贴 → the allowance's application, not its annual check) — the base before what follows it."""
    said = {term for term in own if term.startswith(CLASS_MARK)}
    if said or len(ranked) < 2:
        return ranked
    best_doc, best = ranked[0]
    if not classes_of(index.services[best_doc].key) - {"new"}:
        return ranked
    words = {t for t in minimal(own) if not t.startswith(CLASS_MARK) and t in index.forward[best_doc]}
    for doc_index, score in ranked[1:SIBLINGS]:
        if score < best * TIE_WINDOW:
            break
        if words and words <= set(index.forward[doc_index]) and not classes_of(index.services[doc_index].key):
            return [(doc_index, best)] + [item for item in ranked if item[0] != doc_index]
    return ranked


def what_is_done(
    index: GuidanceIndex, ranked: list[tuple[int, float]], own: dict[str, float]
) -> list[tuple[int, float]]:
    """The person says what is done (第一次, 补办, 到期) and the best service is not that, but a close one
    about the same thing is (残疾人证补领 / 换领 ahead of 残疾人证核发（首次申领） for "第一次办残疾人证"):
    that one first. (Siblings whose names differ this much are not told apart by `prefer_distinguishing`.)"""
    said = {term for term in own if term.startswith(CLASS_MARK)}
    if not said or len(ranked) < 2 or said & set(index.forward[ranked[0][0]]):
        return ranked
    best_doc, best = ranked[0]
    words = {term for term in own if not term.startswith(CLASS_MARK) and term in index.forward[best_doc]}
    for doc_index, score in ranked[1:SIBLINGS]:
        forward = index.forward[doc_index]
        if score < best * TIE_WINDOW:
            break
        if said & set(forward) and words and words <= set(forward):
            return [(doc_index, best)] + [item for item in ranked if item[0] != doc_index]
    return ranked


def unnamed_kind(index: GuidanceIndex, doc: int, qualifiers: list[str]) -> bool:
    """The words qualifying a licence applied for (临时 of 办临时身份证) that the index knows, none of them in
    the service's name: the service is about another kind of that licence (or about those words alone —
    临时救助 — and not the licence at all)."""
    forward = index.forward[doc]
    for words in qualifiers:
        terms = [term for term in index.query_terms([(words, 1.0)]) if not term.startswith("#")]
        if terms and not any(term in forward for term in terms):
            return True
    return False


def the_one_said(index: GuidanceIndex, text: str, tied: list[int]) -> tuple[list[int], list[str]]:
    """Siblings the question names alike, when it then says which one it is (我申请的是农村的): the ones
    whose names have those words, and the words."""
    said = CHOSEN.search(text) if len(tied) > 1 else None
    if said is None:
        return tied, []
    terms = [term for term in index.query_terms([(said.group(1), 1.0)]) if not term.startswith("#")]
    named = [doc for doc in tied if any(term in index.forward[doc] for term in terms)]
    return (named, terms) if named and len(named) < len(tied) else (tied, [])


def done_alike(index: GuidanceIndex, doc: int, terms: dict[str, float]) -> float:
    """The weight of the person's words for what is done that the service's name says in its own words
    (补办 for 补发, 到期 for 换领): explained by the service, so they cost it no confidence."""
    forward, done = index.forward[doc], classes_of(index.services[doc].key)
    return sum(
        weight * index.idf[term]
        for term, weight in terms.items()
        if term not in forward and not term.startswith("#") and classes_of(term) & done
    )


def action_words(index: GuidanceIndex, text: str) -> dict[str, float]:
    """The person's action classes as own words (`@replace` …; every service name's classes are in the
    index's forward map): 补办 tells 驾驶证遗失补证 from 驾驶证有效期满换证."""
    return {CLASS_MARK + name: 1.0 for name in classes_of(text)}
