"""Which spans of a question are proofs and which are services, beyond the lexicon's kind.

A service phrase followed by 证明/证书/… names a proof of it (租房备案 + 证明); at the end of a terse question
after another service it asks about that proof; a certificate ending in 证 right before 明 begins another
proof's name; a service said not to have happened is context.
"""

from __future__ import annotations

import re

from nocert_core.guidance.reading.focus import PAIR_SHAPE, is_stop
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.siblings.kinds import classes_of

PROOF_OF_SERVICE = ("证明", "证书", "凭证", "回执", "登记表", "审批表")
PAIR_VERBS = ("要", "带", "交", "提供")  # asking about a proof: 要X吗, 还要交X
TERSE = 12  # characters: a terse question ("低保 房本?")


# A document's filing and the proof of it, after the document's name (合同 + 备案那张证明).
FILED = re.compile(r"(备案|登记)(?:那张|那个|的)?(证明|凭证|回执)")


def as_proof(text: str, span: Span) -> Span:
    """A service phrase followed by 证明/证书/… names a proof of it (租房备案 + 证明), not the service; a
    certificate ending in 证 followed by 书 is the same certificate said in full (X证 + 书)."""
    if span.kind == "certificate" and span.text.endswith("证") and text.startswith("书", span.end):
        return Span(span.start, span.end + 1, "certificate", span.text + "书", span.value)
    filed = FILED.match(text, span.end) if span.kind == "certificate" else None
    if filed:  # 租房合同 + 备案那张证明: the proof of its filing (…合同备案证明), not the contract
        said = span.text + filed.group(1) + filed.group(2)
        return Span(span.start, filed.end(), "certificate", said, text[span.start : filed.end()])
    if span.kind == "service":
        for suffix in PROOF_OF_SERVICE:
            if text.startswith(suffix, span.end):
                said = span.text + suffix
                return Span(span.start, span.end + len(suffix), "certificate", said, said)
        if span.text.endswith("登记") and text.startswith("证", span.end):  # 失业登记证: a registration's
            said = span.text + "证"  # card (a 许可证 is what a licensing service issues, not a proof)
            return Span(span.start, span.end + 1, "certificate", said, said)
    return span


def trailing_proof(index: GuidanceIndex, text: str, spans: list[Span]) -> list[Span]:
    """ "公租房 租房备案?": a terse question ending with a service phrase, after another one and no proof,
    asks about that service's proof when the catalogue lists one (房屋租赁登记备案 + 证明)."""
    last = spans[-1] if spans else None
    # (right after the pair verb — 随迁入学要社保吗, 居住证签注要社保 — even after a licence named)
    asked = last is not None and text[: last.start].rstrip().endswith(PAIR_VERBS)
    if (
        last is None
        or last.kind != "service"
        or len(text) > TERSE
        or (any(s.kind == "certificate" for s in spans) and not asked)
        or not text[: last.start].strip()
        or text[last.end :].strip(" ?？吗么呢")
    ):
        return spans
    for suffix in PROOF_OF_SERVICE:
        said = last.value.split()[0] + suffix
        if index.official_keys(said):
            return [*spans[:-1], Span(last.start, last.end, "certificate", last.text, said)]
    for suffix in PROOF_OF_SERVICE if asked else ():
        # "要社保吗": the proof of it, by the lexicon's name for the person's words + 证明 (社保证明)
        official = index.lexicon.certificates.get(last.text + suffix)
        if official:
            return [*spans[:-1], Span(last.start, last.end, "certificate", official, last.text + suffix)]
    return spans


_OF_PROOF = re.compile(r"的([\u4e00-\u9fff]{0,4}?(?:证明|证书|凭证|记录|回执))")


def proof_of_a_proof(text: str, spans: list[Span]) -> list[Span]:
    """ "购房合同的备案证明": a proof named right before 的 + a proof's name its official name holds (备案证明
    in 商品房买卖合同备案证明) is one mention of it — 备案 is not a service word the catalogue must have."""
    kept: list[Span] = []
    for position, span in enumerate(spans):
        tail = _OF_PROOF.match(text, span.end) if span.kind == "certificate" else None
        following = spans[position + 1].start if position + 1 < len(spans) else len(text)
        if tail is not None and tail.end() <= following and tail.group(1) in span.value:
            span = Span(span.start, tail.end(), "certificate", span.value, text[span.start : tail.end()])
        kept.append(span)
    return kept


def same_proof_once(text: str, spans: list[Span]) -> list[Span]:
    """ "登报的遗失声明": one proof said twice in a row (a family's word, then the name) is one mention."""
    kept: list[Span] = []
    for span in spans:
        last = kept[-1] if kept else None
        if (
            last is not None
            and span.kind == last.kind == "certificate"
            and span.value == last.value
            and text[last.end : span.start].strip() in ("", "的")
        ):
            kept[-1] = Span(last.start, span.end, "certificate", span.value, last.text)  # (as first said)
            continue
        kept.append(span)
    return kept


# How long ago, right after an event (结婚10年了, 离婚快2年了, 退休好几年了).
SINCE = re.compile(
    r"(?:快|都|有|已经)?(?:[0-9]+|[一二两三四五六七八九十几好多半]{1,3})多?(?:年|个多?月)多?了"
)


RECEIVING = ("领", "拿", "吃", "享受", "领了", "吃了", "有")


def negated(text: str, span: Span) -> bool:
    """ "我还没结婚呢": a service said not to have happened is context, not the service asked about; nor
    one that happened long ago ("我跟老公结婚十年了"): the story's past, not what is applied for now."""
    if span.kind != "service":
        return False
    before = text[max(0, span.start - 2) : span.start]
    # (a benefit received that long — 领低保两年了 — is still what is asked about)
    return before.endswith(("没", "没有", "未")) or (
        SINCE.match(text, span.end) is not None and not before.endswith(RECEIVING)
    )


def inside_proof_word(text: str, span: Span) -> bool:
    """ "安全驾驶证明": a certificate name ending in 证 right before 明 is the start of another proof's name
    (…证明), not that certificate (驾驶证)."""
    return span.kind == "certificate" and span.text.endswith("证") and text.startswith("明", span.end)


# The ends of a service's name: words between an action and a proof ending so name the service applied for.
SERVICE_ENDS = (
    *("登记", "认定", "注册", "许可", "备案", "补贴"),
    *("提取", "报名", "审批", "贷款", "津贴", "救助"),
)
QUALIFIED_SPAN = 6  # characters of words qualifying a licence after the action (考 + 出租车司机 + 从业资格证)
QUALIFIER_STOPS = "要还需带交时的用开吗了"
# Words holding a stop character that qualify a licence themselves (办临时身份证: a kind of 身份证).
QUALIFIER_WORDS = ("临时", "暂时")
# A certificate right after one of these is what the service produces ("办身份证", "考驾照"), not a proof
# asked about.
ACTION_PREFIXES = (
    "首次",
    "初次",
    "新办",
    "办个",
    "补办",
    "补领",
    "补发",
    "换领",
    "换发",
    "申领",
    "办理",
    "申请",
    "注销",
    "挂失",
    "更换",
    "领取",
    "办",
    "补",
    "换",
    "领",
    "考",
    "申",
    "转",
    "迁",
    "销",
    "做",
    "查",
)  # not 开/开具: "开单身证明" asks about the proof itself
TWO_CHARACTER_ACTIONS = frozenset(p for p in ACTION_PREFIXES if len(p) == 2)
CERTIFICATE_SUFFIXES = (
    "证明",
    "证书",
    "执照",
    "证",
    "簿",
    "卡",
    "合同",
    "报告",
    "书",
    "凭证",
    "发票",
    "审批表",
)
# A certificate right before one of these is what is applied for ("出租车司机从业资格证办理").
APPLY_SUFFIXES = (
    "办理",
    "报名",
    "申请",
    "考试",
    "认定",
    "补办",
    "补领",
    "换领",
    "换证",
    "补卡",
    "换卡",
    "新办",
    "首次申领",
    "补证",
    "挂失",
    "申领",
    "核发",
    "注册",
    "年审",
    "审验",  # (驾驶证审验: the licence's periodic review, not a proof asked)
    "延续",
    "变更",
    "注销",
    "到期",  # a licence that expires is what is renewed
    "快到期",
    "过期",
    "快过期",
    "期满",
    "的事",  # (小孩出生证明的事: the services of that certificate)
)
# Verbs a proof's name does not start with ("交出厂合格证" names 出厂合格证).
# (补领报失证: the action done to the licence named before it, 附 + 无房证明: attaching it)
VERB_PREFIXES = ("提供", "出示", "需要", "交", "带", "开", "要", "拿", "需", "去", "办", "补领", "换领", "附")
GENERIC = {"证明", "证件", "材料", "证书", "什么证", "哪些证", "啥证", "证照", "身份证明材料"}
HOW_MANY = re.compile(
    r"^(?:很多|好多|许多|一堆|一大堆|一摞|各种|各类|这些|那些|一些|这种|那种|这个|那个|这张|那张|一张|一份|几个|几张)+"
)


def is_action(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    return any(before.endswith(prefix) for prefix in ACTION_PREFIXES)


LONG_STORY = 60  # characters: a story whose last clause asks the question
LAST_CLAUSE = 12  # characters from the end within which the asking clause starts
APPLIED_WITHIN = 4  # characters before a licence that hold the verb applying for it
APPLY_VERBS = ("办", "申请", "申领", "领", "考")
OBJECT_BEFORE = 2  # characters of an object before a two-character action in a terse question (个体 + 注销)
NOT_OBJECTS = QUALIFIER_STOPS + " 我你他她俺咱想去来在给帮请再就先也"  # (我想 + 补办: who, not what)


def acts_on_words_before(text: str, start: int) -> bool:
    """ "个体注销清税证明", "驾照补办身份证": in a terse question a two-character action right after words
    of its own (个体 + 注销) is done to them — the proof after it is asked about, not what is cancelled."""
    if len(text) > TERSE:
        return False
    action = next((p for p in ACTION_PREFIXES if len(p) == 2 and text.endswith(p, 0, start)), None)
    if action is None:
        return False
    before = text[max(0, start - len(action) - OBJECT_BEFORE) : start - len(action)]
    return len(before) == OBJECT_BEFORE and not any(ch in NOT_OBJECTS for ch in before)


def qualified_action(text: str, span: Span, spans: list[Span]) -> bool:
    """ "考出租车司机从业资格证": an action before the words that qualify a licence applies to the licence
    (not when a verb of the pair, a time or another name comes between: 办结婚登记时户口本)."""
    return licence_qualifier(text, span, spans) is not None


def licence_qualifier(text: str, span: Span, spans: list[Span]) -> str | None:
    """The words between an action and the licence they qualify (出租车司机 of 考出租车司机从业资格证, 临时 of
    办临时身份证), or None when no action comes before them."""
    if span.kind != "certificate":
        return None
    for start in range(span.start - 1, max(-1, span.start - QUALIFIED_SPAN - 1), -1):
        between = text[start : span.start]
        if " " in between or (between[0] in QUALIFIER_STOPS and not _in_word(text, start)):
            return None
        if any(other is not span and other.start < span.start and other.end > start for other in spans):
            return None
        if start > 0 and is_action(text, start) and text[start - 1 : start + 1] in TWO_CHARACTER_ACTIONS:
            return None  # (护照补发 + 报失证明: 发 ends the action 补发, no word qualifying a licence)
        if start > 0 and is_action(text, start):
            # (申请创业担保贷款 + 房产证: what is applied for is the loan, the proof follows its name)
            return None if between.endswith(SERVICE_ENDS) else between
    return None


def opening_qualifier(text: str, span: Span, spans: list[Span]) -> str | None:
    """The words opening the question before a licence applied for by the words after it (个体户 of
    "个体户执照办理…"): which kind of that licence is meant, as after an action (办 + 临时 + 身份证)."""
    between = text[: span.start]
    if (
        span.kind != "certificate"
        or not 2 <= len(between) <= QUALIFIED_SPAN
        or not text.startswith(APPLY_SUFFIXES, span.end)
        or any(ch in QUALIFIER_STOPS or ch == " " for ch in between)
        or any(other is not span and other.start < span.start for other in spans)
        or classes_of(between)  # (首次 + 护照申请: what is done, not a kind of passport)
        or any(is_action(text, end) for end in range(1, span.start + 1))  # (办申领 + 护照: verbs)
    ):
        return None
    return None if between.endswith(SERVICE_ENDS) else between


def _in_word(text: str, position: int) -> bool:
    """The character at `position` is part of a qualifier word (时 of 临时)."""
    return any(
        text.startswith(word, position - word.index(text[position]))
        for word in QUALIFIER_WORDS
        if text[position] in word
    )


def unknown_certificate_words(index: GuidanceIndex, text: str) -> list[str]:
    """Phrases that look like a proof's name ("xx鉴定报告", "xx证明") but no list knows."""
    found = []
    words = index.segmenter.tokenizer.lcut(text, HMM=True)
    for position, word in enumerate(words):
        if not word.endswith(CERTIFICATE_SUFFIXES):
            continue
        start = position
        while start > 0 and not is_stop(words[start - 1]):
            start -= 1
        phrase = "".join(words[start : position + 1])
        cut = max(
            (phrase.rfind(verb) + len(verb) for verb in VERB_PREFIXES if verb in phrase[:-3]), default=0
        )
        phrase = phrase[cut:] if len(phrase) - cut >= 3 else phrase  # "医院体检开身体条件证明" → 身体条件证明
        # (不用开证明: a verb and the bare word name no proof)
        bare = next((phrase[len(v) :] for v in VERB_PREFIXES if phrase.startswith(v)), phrase)
        bare = HOW_MANY.sub("", bare)  # (很多证明, 一大堆证明: how many, not which)
        if len(phrase) >= 3 and phrase not in GENERIC and bare not in GENERIC and not is_stop(phrase):
            found.append(phrase)
    return found


# "…的证明": a proof's name with 的 inside (亲属关系的证明, 收入的证明), as people say it
OF_PROOF = re.compile(r"的(?=证明|证书)")
PROOF_STEM = 8  # characters before 的 that may begin the proof's name
# What comes right before a proof's name: a boundary, a measure word or a verb of handing in (开个, 交, 带).
BEFORE_PROOF = frozenset(" ，,、。个张份开交带要拿需把和及或与具供示")


def joined_proof(index: GuidanceIndex, text: str) -> str:
    """`X的证明` is the proof `X证明` when that is a name the lexicon or the catalogue knows and X starts
    where a proof's name can (开个亲属关系的证明): otherwise its words would be read as a service (亲属关系 →
    亲属关系公证) and the proof asked about lost. Not after another verb (查房产的证明: the proof of a search,
    not 房产证明)."""
    if "的证" not in text:
        return text
    for found in reversed(list(OF_PROOF.finditer(text))):
        at = found.start()
        tail = "证明" if text.startswith("证明", at + 1) else "证书"
        if any(
            text[at - size : at] + tail in index.patterns
            and (size == at or text[at - size - 1] in BEFORE_PROOF)
            for size in range(min(PROOF_STEM, at), 1, -1)
        ):
            text = text[:at] + text[at + 1 :]
    return text


BARE_PROOF_WORDS = frozenset(["证明", "证书", "证件", "证照", "凭证", "材料"])


def later_unknown_proof(index: GuidanceIndex, text: str, after: int) -> str | None:
    """A proof-shaped name no list knows in the last sentence of a long question, after the proofs named
    (…车辆行驶证 … 我想问问司机的从业资格证…还要不要交): the proof asked about is that one, never the last
    one the lists know."""
    if len(text) <= LONG_STORY:
        return None
    cut = text.rfind(" ", 0, len(text.rstrip()) - LAST_CLAUSE)  # (the last clause or two)
    start = max(after, cut)
    if not PAIR_SHAPE.search(text, start):
        return None
    clause = text[start:]
    for word in reversed(unknown_certificate_words(index, clause)):
        position = clause.rfind(word)
        if word.strip() in BARE_PROOF_WORDS:
            continue  # (…证明，证明我是她儿子: the verb "prove", or a proof named by no name)
        if clause.startswith("的", position + len(word)):
            continue  # (解除劳动合同 + 的证明: what the proof is of, not a proof's name)
        if any(verb in clause[max(0, position - APPLIED_WITHIN) : position] for verb in APPLY_VERBS):
            continue  # (办这个优待证: what is applied for)
        if not any(span.kind == "certificate" for span in index.find_spans(word)):
            return word  # (优待证退伍证 holds names the lists know: those are the proofs)
    return None


def applied_for_name(word: str, name: str) -> bool:
    """A proof-shaped name right after an action (办捕捞许可证) or right before an apply word (优待证申领)."""
    start = word.rfind(name)
    return is_action(word, start) or word.startswith(APPLY_SUFFIXES, start + len(name))


__all__ = [
    "APPLY_SUFFIXES",
    "PROOF_OF_SERVICE",
    "TERSE",
    "acts_on_words_before",
    "applied_for_name",
    "as_proof",
    "inside_proof_word",
    "is_action",
    "joined_proof",
    "later_unknown_proof",
    "licence_qualifier",
    "negated",
    "qualified_action",
    "same_proof_once",
    "trailing_proof",
    "unknown_certificate_words",
]
