"""Readings of plain questions an unseen catalogue's citizens write (issue 8, session 7): a terse question's
generic proof word, whose proof it is, a licence lost then replaced, the sibling a proof names or the person
denies, and the choices offered for a named district."""

from __future__ import annotations

import re

from nocert_core.guidance.reading.mentions import TERSE
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.search.text import bigrams

# A licence lost or worn, then replaced ("光荣证丢了，补领要…"): what the service is about, not a proof asked.
LOST_THEN_REPLACED = re.compile(
    r"(?:丢了|丢失了?|遗失了?|弄丢了|找不到了|坏了|损坏了?|过期了|到期了)\s?(?:要|想|去|得)?"
    r"(?:补领|补办|补发|换领|换证|换发|重新办)"
)
LATER_PROOF = re.compile(r"证明|证书|凭证")
# Whose a proof is, right before it: "经营场所的" 房产证 (a clause's words, then 的).
OWNER = re.compile(r"(?:^|(?<=[\s，,]))[\u4e00-\u9fff]{2,6}的$")
# The pair verbs before a terse question's last word (要合同吗, 还要带协议吗).
ASKING = re.compile(r"^(?:还|也)?(?:要|得|需要|用)?(?:带|交|提供|开|出示)?")
# The pair verb inside the last word of a terse question, and what follows it (补办要声明 → 声明).
AFTER_VERB = re.compile(r"(?:要|得|需要|用|带|交|提供|开|出示)+([\u4e00-\u9fff]{2,6})$")
TAX_SLIP = "税票"  # a tax's slip (车船税票): the proof of that tax paid
# "（不是城市的）", "不是农村的那个": which one the person does not mean.
NOT_CHOSEN = re.compile(r"不是([\u4e00-\u9fff]{1,6}?)的(?:那个|那种)?(?:[，,。？?！!）)\s]|$)")
THING = 3  # characters: a thing's name (机动车, 不动产), not an attribute (居住 of 居住证)


def lost_then_replaced(text: str, end: int) -> bool:
    """The licence ending at `end` is said lost or worn, then replaced — and no other proof is named after
    it (护照遗失了要补发，还要…报案证明吗: that proof is the one asked)."""
    lost = LOST_THEN_REPLACED.match(text, end)
    return lost is not None and not LATER_PROOF.search(text, lost.end())


def without_owners(text: str, spans: list[Span], asked: list[Span], applying: re.Pattern[str]) -> str:
    """The text with whose proof it is blanked (办个体户营业执照，经营场所的房产证: 经营场所的), when another
    name says what is applied for — those words are no words of the service (公共场所卫生许可). Not what
    is applied for (办驾驶员证的) nor a name. Positions are kept."""
    if len(spans) < 2:
        return text
    rest = text
    for span in asked[1:] if asked and asked[0] is spans[0] else asked:
        owner = OWNER.search(text[: span.start])
        if (
            owner is not None
            and not applying.search(owner.group())
            and not any(o.start < owner.end() and owner.start() < o.end for o in spans)
        ):
            rest = rest[: owner.start()] + " " * (owner.end() - owner.start()) + rest[owner.end() :]
    return rest


def trailing_short_proof(index: GuidanceIndex, text: str, rest_words: list[str], doc: int) -> str | None:
    """A terse question's last word, too short to be a proof's name by its shape (发票, 清税, 合同), that one
    and only one proof listed for the service found contains: that proof is asked about; failing that,
    the catalogue's one proof holding it and words of the service's name (离婚 + 协议 → 离婚协议书)."""
    if len(text) > TERSE or not rest_words:
        return None
    word = ASKING.sub("", rest_words[-1].rstrip("?？吗么呢"))  # (工伤认定要合同吗: 合同)
    asked = AFTER_VERB.search(word)  # (护照补办要声明吗: the words after the pair verb, 声明)
    word = asked.group(1) if asked else word
    if len(word) < 2:
        return None
    listed = [index.certificate_names[key] for key in index.services[doc].certificates]
    names = [name for name in listed if word in name]
    if not names and word.endswith(TAX_SLIP):  # (车船税票: the 车船税 payment proof listed)
        names = [name for name in listed if word.removesuffix("票") in name]
    if not names:
        service = index.services[doc].key
        names = [
            name
            for name in index.certificate_names.values()
            if word in name and any(gram in service for gram in bigrams(name.replace(word, " ")))
        ]
    return names[0] if len(set(names)) == 1 else None


def named_by_proof(index: GuidanceIndex, tied: list[int], official: str) -> int | None:
    """The one sibling whose name shares a thing's name with the proof's that no other sibling has (机动车 of
    机动车登记证书 and 机动车转移登记, not 不动产转移登记): what the proof is of says which one is meant."""
    words = {t for t in index.query_terms([(official, 1.0)]) if not t.startswith("#") and len(t) >= THING}
    own = {doc: words & set(index.forward[doc]) for doc in tied}
    unique = [doc for doc in tied if any(all(w not in own[o] for o in tied if o != doc) for w in own[doc])]
    return unique[0] if len(unique) == 1 else None


def the_one_denied(index: GuidanceIndex, text: str, tied: list[int]) -> tuple[list[int], list[str]]:
    """Siblings the question names alike, when it says which one it does NOT mean ("农村低保（不是城市的）"):
    the others, and the words denied (no longer the person's own words for the service)."""
    denied = NOT_CHOSEN.search(text) if len(tied) > 1 else None
    if denied is None:
        return tied, []
    terms = [term for term in index.query_terms([(denied.group(1), 1.0)]) if not term.startswith("#")]
    left = [doc for doc in tied if terms and not any(term in index.forward[doc] for term in terms)]
    return (left, terms) if left and len(left) < len(tied) else (tied, [])


def in_place(index: GuidanceIndex, tied: list[int], scope: set[str] | None) -> list[int]:
    """The siblings to choose from for a named district: its own and the city's, never another district's."""
    if scope is None:
        return tied
    local = index.places.local_units
    kept = [doc for doc in tied if _unit(index, doc) in scope or _unit(index, doc) not in local]
    return kept if len(kept) > 1 else []


def _unit(index: GuidanceIndex, doc: int) -> str:
    return index.services[doc].unit_code or index.services[doc].unit


__all__ = [
    "in_place",
    "lost_then_replaced",
    "named_by_proof",
    "the_one_denied",
    "trailing_short_proof",
    "without_owners",
]
