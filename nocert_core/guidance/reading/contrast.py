""" "那X呢" — "what about X": the person asks about X, which replaces a thing named before it.

"补领结婚证听说不用户籍证明了，那补领离婚证呢，户籍证明还要不要？" asks about the divorce certificate's
replacement; the marriage certificate's, named first, is what the person compares it with. "办护照要户口本，
那身份证呢" asks about another proof for the same service. The thing X replaces — a service or licence
applied for when X is one, a proof when X is one — is taken out before the question is read, so its words
neither name the service nor are the proof asked about.
"""

from __future__ import annotations

import re

from nocert_core.guidance.reading.mentions import APPLY_SUFFIXES, is_action
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.spans import Span
from nocert_core.guidance.siblings.kinds import classes_of

# 那 opening a clause, what is asked about, 呢 (那么…呢 too): "what about …"
WHAT_ABOUT = re.compile(r"(?:^|\s)那么?(\S{1,12}?)呢")


def _applied_for(text: str, span: Span, end: int) -> bool:
    """A service, or a licence done something to (补领 + 离婚证, 港澳通行证 + 补发 up to `end`)."""
    return (
        span.kind == "service"
        or is_action(text, span.start)
        or text.startswith(APPLY_SUFFIXES, span.end)
        or bool(classes_of(text[span.end : end]))
    )


def contrasted(index: GuidanceIndex, text: str) -> str:
    """The text without what a "那X呢" replaces (read before any span is found): when X is a service or a
    licence applied for, everything said before it — the question asked of it again about X when no proof
    follows (办护照要户口本吗？那港澳通行证呢 → 港澳通行证呢 要户口本吗); when X is a proof, the proofs
    said before it."""
    match = WHAT_ABOUT.search(text)
    if match is None:
        return text
    spans = index.find_spans(text)
    said = [span for span in spans if match.start(1) <= span.start and span.end <= match.end(1)]
    if not said:
        return text
    clause_ends = [found.start() for found in re.finditer(r"\s", text)] + [len(text)]
    proofs = [
        span
        for span in spans
        if span.end <= match.start()
        and span.kind == "certificate"
        and not _applied_for(text, span, next(end for end in clause_ends if end >= span.end))
    ]
    if not any(_applied_for(text, span, match.end(1)) for span in said):
        # X is a proof: the service stays, the proofs it replaces go
        for span in reversed(proofs):
            text = text[: span.start] + " " + text[span.end :]
        return " ".join(text.replace(match.group(0).strip(), match.group(1) + "呢", 1).split())
    asked_after = any(span.kind == "certificate" and span.start >= match.end(1) for span in spans)
    rest = text[match.start(1) :]
    if proofs and not asked_after:
        rest += " 要" + "、".join(span.text for span in proofs) + "吗"
    return rest


__all__ = ["contrasted"]
