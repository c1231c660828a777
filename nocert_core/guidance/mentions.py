"""Which spans of a question are proofs and which are services, beyond the lexicon's kind.

A service phrase followed by 证明/证书/… names a proof of it (租房备案 + 证明); at the end of a terse question
after another service it asks about that proof; a certificate ending in 证 right before 明 begins another
proof's name; a service said not to have happened is context.
"""

from __future__ import annotations

from nocert_core.guidance.index import GuidanceIndex, Span

PROOF_OF_SERVICE = ("证明", "证书", "凭证", "回执", "登记表", "审批表")
TERSE = 12  # characters: a terse question ("低保 房本?")


def as_proof(text: str, span: Span) -> Span:
    """A service phrase followed by 证明/证书/… names a proof of it (租房备案 + 证明), not the service; a
    certificate ending in 证 followed by 书 is the same certificate said in full (X证 + 书)."""
    if span.kind == "certificate" and span.text.endswith("证") and text.startswith("书", span.end):
        return Span(span.start, span.end + 1, "certificate", span.text + "书", span.value)
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
    if (
        last is None
        or last.kind != "service"
        or len(text) > TERSE
        or any(s.kind == "certificate" for s in spans)
        or not text[: last.start].strip()
        or text[last.end :].strip(" ?？吗么呢")
    ):
        return spans
    for suffix in PROOF_OF_SERVICE:
        said = last.value.split()[0] + suffix
        if index.official_keys(said):
            return [*spans[:-1], Span(last.start, last.end, "certificate", last.text, said)]
    return spans


def negated(text: str, span: Span) -> bool:
    """ "我还没结婚呢": a service said not to have happened is context, not the service asked about."""
    return span.kind == "service" and text[max(0, span.start - 2) : span.start].endswith(("没", "没有", "未"))


def inside_proof_word(text: str, span: Span) -> bool:
    """ "安全驾驶证明": a certificate name ending in 证 right before 明 is the start of another proof's name
    (…证明), not that certificate (驾驶证)."""
    return span.kind == "certificate" and span.text.endswith("证") and text.startswith("明", span.end)


__all__ = ["PROOF_OF_SERVICE", "as_proof", "inside_proof_word", "negated", "trailing_proof"]
