"""The words of a question that name the service asked about, and whether a service's name has them.

"渔船登记还要身份证吗", "生育登记需要结婚证吗", "残疾人证迁移要户口本吗": the catalogue has 不动产登记,
生育津贴申领 and 残疾人证新办 — services that share some words with the question but not the ones that say
WHICH service is meant. Answering for them would give another service's rule (the harmful "not needed").
The words naming the service are those right before a service word (渔船 + 登记), right after an apply verb
(办 + 港澳通行证), or right before the pair verb (残疾人证迁移 + 要); context elsewhere in a long question
(腿摔了, 在外地上班) is not the service. A service fits only when its name has every one of them — the
word itself, its character pairs, or (for what is done: 补办, 换证, 第一次) a word of the same action class.
"""

from __future__ import annotations

import re
from itertools import pairwise

from nocert_core.guidance.reading.name_fit import _search_words
from nocert_core.guidance.reading.phrase_words import (
    APPLY_VERBS,
    CLAUSE_OPENINGS,
    GENERIC_HEADS,
    GENERIC_WORDS,
    NOT_KINDS,
    OFFICES,
    PAIR_VERBS,
    PARTNERS,
    PROCEDURE_WORDS,
    PROOF_HEADS,
    SERVICE_HEADS,
    SPECIFIC,
    STATUS,
)
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.search.text import STOPWORDS, normalise
from nocert_core.guidance.siblings.kinds import classes_of

PAIR_WORD: list[str] = []  # marker: the word before the pair verb
HEAD_WORDS = 3  # words before a service word that still name the service
SYNONYM_LENGTH = 2  # a one-word lexicon phrase (报名, 医保) stays visible as the person's word
LONG = 40  # characters: in a longer question words near a service word are as often context
SINGLE_RUN = "\x00"
QUALIFIER_LENGTH = 8  # characters of content words opening a clause that may qualify a service phrase
QUALIFIED_LENGTH = 3  # a service phrase this long may be qualified by the word before it (涉外 + 结婚登记)
CHANGES = frozenset(["change"])  # what is done whose object follows it (变更 + 地址)


def _tokens(index: GuidanceIndex, text: str) -> list[str]:
    tokens: list[str] = []
    for token in index.segmenter.cut(text):
        single = len(token) == 1 and token not in STOPWORDS and token not in "， "
        if single and tokens and tokens[-1].startswith(SINGLE_RUN):
            tokens[-1] += token  # a run of characters jieba does not know is one word (养 犬 → 养犬)
        else:
            tokens.append(SINGLE_RUN + token if single else token)
    return [token.removeprefix(SINGLE_RUN) for token in tokens]


def _words(index: GuidanceIndex, text: str) -> list[str]:
    return [w for w in index.segmenter.cut(normalise(text)) if len(w) >= 2]


_HEAD_LENGTHS = sorted({len(head) for head in SERVICE_HEADS}, reverse=True)


def _head(token: str) -> str | None:
    """The service word the token ends with (by its last characters: one lookup per length of them)."""
    for length in _HEAD_LENGTHS:
        if len(token) >= length and token[-length:] in SERVICE_HEADS:
            return token[-length:]
    return None


def service_phrase(
    index: GuidanceIndex, text: str, spans: list[Span], asked: list[Span]
) -> tuple[list[str], list[str]]:
    """(words a fitting service's name must have, words that only weigh against a match): see the module
    docstring. Words next to a specific service word (渔船 + 登记) are decisive; words after an apply verb or
    before the pair verb, and the unknown official words of a lexicon phrase, only weigh (in a long
    question they are as often context: 到底, 办事)."""
    decisive: list[str] = _spans_words(index, text, spans)
    soft: list[str] = []
    long = len(text) > LONG
    if not long:
        decisive.extend(_step_said(index, text, spans))
    decisive.extend(_heads_of_adjacent(text, spans))
    tokens = _tokens(index, STATUS.sub("，", _masked(text, spans, asked)))
    named_proofs = {normalise(span.value) for span in spans}  # (official names, not what was typed)
    for position, token in enumerate(tokens):
        head = _head(token)
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if head in GENERIC_HEADS and token == head and _head(following) in SPECIFIC:
            head = None  # 申请 + 食品经营许可: the verb applying for the service named next, not its end
        found = soft if long else decisive  # in a long question only the service word itself decides
        deciding = 1  # how many of the nearest words decide
        if head is not None:
            step, cursor, limit = -1, position - 1, HEAD_WORDS
            if head in GENERIC_HEADS and not long:  # 医疗 + 救助 + 申请: the noun before 申请 and its kind
                deciding = 2
            if head not in GENERIC_HEADS:
                decisive.append(head)
            if len(token) > len(head):  # 经营许可: 经营 names the service too
                found.append(token[: -len(head)])
            if classes_of(head) and not _head(following):  # (做变更: what changes is the object, not a kind
                found = soft  # of the service; but 抵押权 + 变更登记 names the registration)
        elif token in APPLY_VERBS or token in GENERIC_HEADS:
            step, cursor, limit, found = 1, position + 1, 1, soft
        elif token in PAIR_VERBS and not _service_follows(tokens, position) and following not in APPLY_VERBS:
            # (要 + 办: "going to apply", not the pair verb — 外地 of 住在外地要办 names no service)
            # "残疾人证迁移要": decisive unless it is a lexicon word (买房 …); not "换医院要变更注册"
            step, cursor, limit, found = -1, position - 1, 1, PAIR_WORD
        else:
            continue
        licence_before = 0  # (walking back from the head: 1 on a licence's name, then words before it)
        while 0 <= cursor < len(tokens) and limit > 0:
            word = tokens[cursor]
            if word == " ":
                cursor += step
                continue
            if word == "，" or word in STOPWORDS or word in APPLY_VERBS or _head(word):
                break
            if word in NOT_KINDS:
                break  # "高龄补贴每年还要…", "家母92岁 申请…": who or when is no kind of service
            if len(word) >= 2 and word not in GENERIC_WORDS:
                preceding = tokens[cursor - 1] if cursor > 0 else ""
                if found is PAIR_WORD and _changed(tokens[max(cursor - HEAD_WORDS, 0) : cursor]):
                    soft.append(word)  # (变更 + 经营地址 + 要: what changes, not a kind of the service)
                elif found is PAIR_WORD:
                    named = index.is_unknown(word) or (word in index.idf and word not in index.patterns)
                    (decisive if not long and named else soft).append(word)
                    # 家庭 + 奖励 + 扶助 + 要: a word no service knows, between other words, qualifies
                    # the word asked about. One that opens the question (暖气报装, 开通燃气, 企业年报) or
                    # follows a bare verb (办 + 老人公交卡) names what it is about, not a missing kind.
                    opener = tokens[cursor - 2] if cursor > 1 else ""
                    if (
                        not long
                        and named
                        and len(preceding) >= 2
                        and len(opener.strip()) >= 2
                        and index.is_unknown(preceding)
                        and not classes_of(preceding)
                    ):
                        decisive.append(preceding)
                else:
                    found.append(word)
                    if licence_before > 1 and not long and index.is_unknown(word) and not classes_of(word):
                        # 烟草专卖 + 零售 + 许可证 + 办理: a word no service knows before the known words of
                        # the licence applied for names a kind of it the catalogue lacks, as one inside its
                        # name does (below) — not the licence's nearest word (司机 + 从业资格证: whose)
                        decisive.append(word)
                    if step == 1 and not long and word.endswith(PROOF_HEADS) and word not in named_proofs:
                        # 办 + 老年人优待证: a part of what is applied for that no service knows (老年人)
                        # names a kind the catalogue lacks, beside a known one (优待证)
                        decisive.extend(_typed_unknown(index, [word], word))
                if licence_before or (step == -1 and word.endswith(PROOF_HEADS)):
                    licence_before += 1
                deciding = 0 if word.endswith(PROOF_HEADS) else deciding - 1  # (a licence's own words
                if deciding <= 0:  # before it only weigh: 司机 + 资格证 + 申请)
                    found = soft  # the nearest word decides; those before it only weigh
            limit -= 1
            cursor += step
    # (a number — 85 of 家母今年85岁 — is an age or a count, never a kind of service)
    decisive = [word for word in decisive if not word.isdigit()]
    return list(dict.fromkeys(decisive)), list(dict.fromkeys(word for word in soft if not word.isdigit()))


def _spans_words(index: GuidanceIndex, text: str, spans: list[Span]) -> list[str]:
    """The decisive words the service phrases themselves give: a specific service word as typed, an official
    word no service knows, a qualifier beside a phrase."""
    decisive: list[str] = []
    for span in spans:
        if span.kind != "service":
            continue
        parts = [_words(index, part) for part in span.value.split()]
        head = _head(normalise(span.value))
        if head in SPECIFIC and normalise(span.value) == span.text:
            decisive.extend(parts[0])  # "生育登记" as the person wrote it: their words for the service
        # An official word no service knows that the person typed themselves (临时救助, 护士执业注册,
        # 办抵押 → 不动产抵押权登记): the catalogue has not that service, whatever the other words match.
        known = any(part and not any(index.is_unknown(w) for w in part) for part in parts)
        if not known or len(parts) == 1:  # (退伍军人 → 退伍军人 退役军人: the typed synonym of a known one)
            decisive.extend(_typed_unknown(index, [w for part in parts for w in part], span.text))
        decisive.extend(_qualifier(index, text, span, spans))
        if known:
            continue  # one of its official wordings is words services use
        words = [w for part in parts for w in part]
        unknown = [w for w in words if index.is_unknown(w)]
        if words and 2 * len(unknown) > len(words):
            decisive.extend(unknown)  # a lexicon phrase most of whose official words no service knows
    return decisive


def _heads_of_adjacent(text: str, spans: list[Span]) -> list[str]:
    """Two service phrases in a row name one service by the last (二手房 + 契税申报: 契税 is the service,
    二手房 what it is about) — Chinese puts the head last."""
    heads: list[str] = []
    services = sorted((s for s in spans if s.kind == "service"), key=lambda s: s.start)
    for before, head_span in pairwise(services):
        adjacent = text[before.end : head_span.start] in ("", "的")  # (not 契税是过户: a clause, not a name)
        # (a word synonym — 买房 → 购房 购买 — says what for, a sibling's word: 公积金贷款买房 is the loan)
        synonym = all(len(word) <= SYNONYM_LENGTH for word in head_span.value.split())
        if adjacent and len(head_span.text) >= 2 and head_span.text not in GENERIC_WORDS and not synonym:
            heads.append(head_span.text)
    return heads


def _masked(text: str, spans: list[Span], asked: list[Span]) -> str:
    """The text whose words are checked: the proof asked about and lexicon service phrases are not (a comma
    stands in their place), a word synonym stays as typed, a certificate applied for (补领驾照) is checked by
    its official name."""
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        synonym = span.kind == "service" and len(span.text) <= SYNONYM_LENGTH
        if synonym:  # a word synonym (报名, 医保): kept as written, checked through the lexicon
            continue
        pieces.append(text[cursor : span.start])
        masked = span in asked or span.kind == "service"
        pieces.append("，" if masked else f" {normalise(span.value)} ")
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


INTENDS = ("想", "准备", "打算")  # (公积金贷款 + 想 + 提前还: what the person means to do with it)
UNKNOWN_STEP = 2  # words no service knows, right after a service phrase, that name a step of it (共济 绑定)


def _step_said(index: GuidanceIndex, text: str, spans: list[Span]) -> list[str]:
    """Words naming what the person does with a service named (公积金贷款想提前还款, 医保个人账户家庭共济绑定)
    that no service knows: a step of it the catalogue has not (never the listed service's rule). After
    想/准备/打算 one such word tells it; right after the phrase, two (one is as often context: 公司搬家)."""
    found: list[str] = []
    for span in spans:
        if span.kind != "service":
            continue
        rest = re.split(r"[\s，,。.;；!！?？、]", text[span.end :])[0]
        intent = next((word for word in INTENDS if rest.startswith(word)), "")
        rest = rest[len(intent) :]
        ends = [other.start - span.end - len(intent) for other in spans if other.start >= span.end]
        rest = rest[: min([e for e in ends if e >= 0], default=len(rest))]
        unknown = []
        for word in index.segmenter.cut(rest):
            if word in PAIR_VERBS or word in APPLY_VERBS or classes_of(word):
                break  # (公司 + 搬家 + 变更 + 住所: what changes is the change's object)
            if (
                len(word) >= 2
                and word not in STOPWORDS
                and word not in GENERIC_WORDS
                and word not in NOT_KINDS
                and index.is_unknown(word)
            ):
                unknown.append(word)
        if len(unknown) >= (1 if intent else UNKNOWN_STEP):
            found.extend(unknown)
    return found


def _typed_unknown(index: GuidanceIndex, words: list[str], typed: str) -> list[str]:
    """The smallest words of `words` (jieba's search mode: 临时救助 → 临时, 救助) that no service knows and
    that the person typed (`typed`)."""
    found = []
    for word in words:
        parts = [w for w in _search_words(index, word) if len(w) >= 2] or [word]
        smallest = [w for w in parts if not any(o != w and o in w for o in parts)]
        found += [w for w in smallest if w in typed and index.is_unknown(w) and _whole(index, w, typed)]
    return found


def _qualifier(index: GuidanceIndex, text: str, span: Span, spans: list[Span]) -> list[str]:
    """Words typed right before a service phrase (涉外 + 结婚登记, 装修房子 + 提取公积金) when no service name
    knows one of them: a kind of the service the catalogue has not, so not the listed service's rule. Only
    words that open the clause and are all content words count (not 上个月 in "我妈上个月去世了")."""
    if span.text.endswith("了"):
        return []  # (饭店 + 不干了: the words before an event told name no kind of service)
    if len(span.text) < QUALIFIED_LENGTH:
        return _other_object(index, text, span)  # (离婚, 去世 in a story: the words before are the story)
    clause = re.split(r"[\s，,。.;；!！?？、]", text[: span.start])[-1]
    if any(other.start < span.start and other.end > span.start - len(clause) for other in spans):
        return []  # a lexicon word (村里 → 农村): the person's words, mapped, not a kind no service has
    words = index.segmenter.cut(clause)
    opening = max(  # the longest opening (我想办, 跟): what follows it qualifies the service
        (n for n in range(len(words)) if "".join(words[:n]) in CLAUSE_OPENINGS), default=None
    )
    verbs = [position for position, word in enumerate(words) if word in APPLY_VERBS]
    if opening is not None and "".join(words[:opening]).endswith(PARTNERS) and verbs:
        opening = verbs[-1] + 1  # (跟外国人 + 办 + 涉外 + 结婚登记: the partner is who, then what kind)
    if opening is None or len("".join(words[opening:])) > QUALIFIER_LENGTH:
        return []
    freq = index.segmenter.frequency
    qualifiers = words[opening:]
    if any(
        w in GENERIC_WORDS or w in STOPWORDS or w in NOT_KINDS or w in APPLY_VERBS or not freq(w)
        for w in qualifiers
    ):
        return []  # who, when, or a verb: a story, not a kind of the service
    # (an office where one applies — 派出所 + 上户口, 民政局 + 结婚登记 — says where, not which kind)
    return [w for w in qualifiers if len(w) >= 2 and index.is_unknown(w) and not w.endswith(OFFICES)]


def _other_object(index: GuidanceIndex, text: str, span: Span) -> list[str]:
    """A two-character service word the lexicon reads as one object's (年检 → 机动车检验合格标志核发), typed
    right after another thing of that kind that service names know (农机 + 年检: 农机购置补贴 knows 农机;
    its head character 机 is in 机动车): the person means that thing's service, not the lexicon's guess —
    the word must be in the name. Only in a short question, and only when the official wording names an
    object (转移登记 for 过户 names none)."""
    if len(text) > LONG or not _has_object(index, span.value):
        return []
    before = index.segmenter.cut(text[: span.start])
    word = before[-1] if before else ""
    official = normalise(span.value)
    if (
        len(word) < 2
        or word in GENERIC_WORDS
        or word in STOPWORDS
        or word in NOT_KINDS
        or word in APPLY_VERBS
        or (index.is_unknown(word) and len(word) < 3)  # (自行车 + 上牌: a thing no service knows counts)
        or word in index.patterns
        or classes_of(word)
        or word in official
        or word[-1] not in official
    ):
        return []  # (农村 + 低保: an attribute, not another thing of the kind the lexicon guessed)
    return [word]


def _has_object(index: GuidanceIndex, value: str) -> bool:
    """The official words name a thing, not only a procedure (机动车 of 机动车检验…核发; not 转移登记)."""
    words = [w for part in value.split() for w in _search_words(index, normalise(part)) if len(w) >= 2]
    smallest = [w for w in words if not any(o != w and o in w for o in words)]
    return any(not _head(w) and not classes_of(w) and w not in PROCEDURE_WORDS for w in smallest)


def _changed(before: list[str]) -> bool:
    """A change (变更) is told in the words right before, in the same clause: what follows is its object."""
    for token in reversed(before):
        if token in ("，", " "):
            return False
        if classes_of(_head(token) or "") & CHANGES:
            return True
    return False


def _service_follows(tokens: list[str], position: int) -> bool:
    """A service word follows in the clause: the 要 before it says "has to", it asks about no proof."""
    for token in tokens[position + 1 :]:
        if token == "，":
            return False
        if _head(token):
            return True
    return False


def _whole(index: GuidanceIndex, word: str, text: str) -> bool:
    """`word` is a word of `text`, not a piece across two (学报 in 小学报名, 手车 in 二手车): no dictionary
    word of the text overlaps it only in part."""
    freq = index.segmenter.frequency
    start = text.find(word)
    end = start + len(word)
    for first in range(max(0, start - 3), end):
        for last in range(max(first + 2, start + 1), min(len(text), first + 4) + 1):
            inside = start <= first and last <= end
            covers = first <= start and end <= last
            if not inside and not covers and last > start and first < end and freq(text[first:last]):
                return False
    return True


def abbreviates(span: Span) -> list[str]:
    """The official words that what the person typed is a short form of: each of its characters in order
    inside one of them, spread out (网约车 → 网络预约出租汽车) — not a paraphrase (开饭店 → 食品经营许可),
    nor the words with the lexicon's guess added around them (入学报名 → 小学入学报名: 小学 is the guess).
    Only those words are the person's: the phrase's other official words (义务教育) are the guess."""
    typed = normalise(span.text)
    found = []
    for word in span.value.split():
        if typed in normalise(word):
            continue
        position = 0
        for ch in normalise(word):
            if position < len(typed) and ch == typed[position]:
                position += 1
        if len(typed) >= 2 and position == len(typed):
            found.append(word)
    return found


__all__ = ["abbreviates", "service_phrase"]
