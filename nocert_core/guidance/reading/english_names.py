"""English document names no glossary phrase has, built from their words ("only-child parents' honour
certificate" → 独生子女父母光荣证明, "proof that I own no home" → 无房证明): a head noun takes the glossary
words before it and, after "of"/"that"/"from", the ones after it (`english.to_chinese` reads the rest)."""

from __future__ import annotations

from nocert_core.guidance.reading.english_words import NOT_PROOFS, Hit, Marks, Term

MODIFIERS = ("word", "certificate", "service")
# Endings of a Chinese document name: a head noun after them adds nothing (hospital diagnosis certificate).
DOCUMENT_ENDINGS = (
    "证明",
    "证书",
    "证",
    "执照",
    "合同",
    "协议",
    "报告",
    "凭证",
    "发票",
    "单",
    "本",
    "簿",
    "卡",
    "表",
    "函",
    "记录",
    "声明",
    "结果",
)
COPIES = ("复印件", "原件")
TAX_PROOFS = ("凭证", "证明")  # (a tax's receipt, certificate, record: 完税证明)
OF_WINDOW = 3  # words after "proof of/that" within which its subject starts ("proof that I own no home")


def compose(hits: list[Hit], marks: Marks) -> list[Hit]:
    """Document names the glossary has no phrase for, built from their words: "only child parents honor
    certificate" → 独生子女父母光荣证明, "proof of the office premises" → 经营场所证明, "social insurance
    payment record" → 社会保险缴费证明. A head noun (certificate, proof, receipt, record, report, form,
    copy …) takes the glossary words right before it and, after "of"/"that", the ones right after it; its
    name is what the catalogue's own names are then matched against (`certificates.py`). A head whose words
    the glossary does not know becomes an `unmapped` document (asked about → the English "I could not map
    this" reply, never a guess)."""
    taken: set[int] = set()
    made: list[Hit] = []
    for k, (start, end, head) in enumerate(hits):
        if head.kind != "head":
            continue
        parts: list[int] = []
        edge = start
        j = k - 1
        while j >= 0 and j not in taken:
            s, e, term = hits[j]
            if term.kind not in MODIFIERS or e != edge or edge in marks.breaks:
                break
            parts.insert(0, j)
            edge = s
            j -= 1
        after: list[int] = []
        # "a letter from the village committee": who issues it names it too (村（居）委会证明)
        via_from = end < len(marks.words) and marks.words[end] == "from" and end not in marks.after_of
        if end in marks.after_of or via_from:
            edge = end + 1 if via_from else end
            for j in range(k + 1, len(hits)):
                s, e, term = hits[j]
                gap = range(edge + 1 if via_from and not after else edge, s + 1)
                if term.kind not in MODIFIERS or any(p in marks.breaks for p in gap):
                    break
                if (s - edge > OF_WINDOW) if not after else (s - edge > 1):
                    break
                after.append(j)
                edge = e
        parts += after
        if not parts:
            unknown_before = (
                start > 0
                and start not in marks.breaks
                and marks.words[start - 1] not in NOT_PROOFS  # ("what proofs", "any certificate")
                and not any(e == start for _s, e, _t in hits)
            )
            unknown_after = end in marks.after_of
            if unknown_before or unknown_after:
                made.append((start, end, Term("", "unmapped")))
            continue
        names: list[str] = []
        for j in parts:
            if hits[j][2].chinese not in names:
                names.append(hits[j][2].chinese)
        name = "".join(names)
        if name.endswith("税") and head.chinese in TAX_PROOFS:
            name += "完税证明"  # ("vehicle and vessel tax receipt": the proof a tax was paid, 车船税完税证明)
        elif not name.endswith(DOCUMENT_ENDINGS) or head.chinese in COPIES:
            name += head.chinese
        taken |= {k, *parts}
        made.append(
            (
                min(hits[j][0] for j in [*parts, k]),
                max(hits[j][1] for j in [*parts, k]),
                Term(name, "certificate"),
            )
        )
    kept = [hit for i, hit in enumerate(hits) if i not in taken and hit[2].kind not in ("word", "head")]
    return sorted(kept + made, key=lambda hit: hit[0])


__all__ = ["compose"]
