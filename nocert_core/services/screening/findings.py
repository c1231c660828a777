"""What a complaint's text says, for the screening rules (`nocert_core.services.screening.advice`): the cue
words found in it — proofs and documents, times, services, the list, checks and delays, litigation — read from
a normalised copy (the stored texts stay as written). Word lists: `nocert_core.domain.screening_rules`
(papers named by grammar: `nocert_core.domain.screening_papers`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from nocert_core.adapters.text import normalise, segmenter
from nocert_core.domain import screening_papers as papers
from nocert_core.domain import screening_rules as rules
from nocert_core.guidance.search.lexicon import FAMILIES_PATH, parse_families
from nocert_core.textnorm import canonical

__all__ = ["Findings", "analyse"]


@dataclass
class Findings:
    litigation: list[str]
    proof_related: list[str]
    documents: list[str]
    services: list[str]
    times: list[str]
    places: list[str]
    catalogue: list[str]
    verification: list[str]
    delay: list[str]
    e_licence_refused: list[str]
    repeat: list[str] = field(default_factory=list)
    nothing_demanded: list[str] = field(default_factory=list)  # "没有要求提交证明", "材料都齐了"
    runaround: list[str] = field(default_factory=list)  # "跑了好几趟", "刁难"
    list_ignored: list[str] = field(default_factory=list)  # "不执行清单", "按清单办理", "旧规定"
    commitment: list[str] = field(default_factory=list)  # "告知承诺", "签了承诺书"
    programme: list[str] = field(default_factory=list)  # "无证明城市": the programme itself named
    applied_for: list[str] = field(
        default_factory=list
    )  # "办身份证", "驾驶证换证": the service's certificate
    grievance: list[str] = field(default_factory=list)  # "收费", "排队", "态度": another kind of grievance
    demands: list[str] = field(default_factory=list)  # "让我开", "要求提供": something demanded


@lru_cache(maxsize=1)
def _family_names() -> frozenset[str]:
    """Every name of the shipped certificate families (the ones guidance resolves): a proof by any of its
    names is a document demanded."""
    families = parse_families(FAMILIES_PATH.read_text(encoding="utf-8"))
    return frozenset(normalise(name) for family in families for name in family if len(name) >= 3)


@lru_cache(maxsize=64)
def _chinese(words: tuple[str, ...]) -> tuple[str, ...]:
    """A word list's non-ASCII words (the lists are constants: filtered once)."""
    return tuple(word for word in words if not word.isascii())


def _find(text: str, words: Sequence[str]) -> list[str]:
    return [word for word in words if word in text]


@lru_cache(maxsize=512)
def _word_start(cue: str) -> re.Pattern[str]:
    """A one-word English cue at the start of a word, spaces allowed inside it ("idcard" in "ID card",
    "certificate" in "certificates"), never inside another word ("form" in "platform")."""
    joint = r"\s?" if len(cue) >= 6 else ""  # a compound ("idcard"), not "for my" read as "form"
    return re.compile(r"(?<![a-z])" + joint.join(re.escape(char) for char in cue))


def _find_english(spaced: str, words: Sequence[str]) -> list[str]:
    """English cues: a cue with spaces ("paper copy", "sue ") as whole words, a one-word cue at a word's
    start, both in the text with its spaces. A cue whose letters are not in the text (spaces taken out:
    "idcard" may be written "id card") cannot match: its pattern is not tried (most cues are absent)."""
    found = []
    squeezed = _SPACES.sub("", spaced)
    for word in words:
        if not word.isascii():
            continue
        if " " in word:
            phrase = word.strip()
            if phrase in spaced and re.search(rf"\b{re.escape(phrase)}\b", spaced):
                found.append(word)
        elif word in squeezed and _word_start(word).search(spaced):
            found.append(word)
    return found


_SPACES = re.compile(r"\s")


def _longest(words: list[str]) -> list[str]:
    """The words found, without those inside a longer one found ("无证明" in "无证明城市")."""
    return [word for word in words if not any(word != other and word in other for other in words)]


def _not_negated(
    text: str, cues: Sequence[str], window: int = rules.NEGATION_WINDOW, *, conditions: bool = False
) -> list[str]:
    """Cues that appear at least once without a negation just before them ("不想起诉", "没有仲裁"); with
    `conditions`, a negated proof followed by a refusal is a condition, so a demand ("不交证明就不给办")."""
    found = []
    for cue in cues:
        if cue not in text:  # most cues are absent: no pattern to run
            continue
        for match in re.finditer(re.escape(cue), text):
            before = text[max(0, match.start() - window) : match.start()]
            refused = conditions and rules.CONDITIONAL_REFUSAL_PATTERN.match(text, match.end())
            if refused or not any(negation in before for negation in rules.NEGATIONS):
                found.append(cue)
                break
    return found


def _nothing_demanded(raw: str) -> tuple[str, list[str]]:
    """The text without its statements that no proof was demanded (and without the programme's name and
    materials thrown about: manners), and those statements: they say what the complaint is NOT about."""
    kept: list[str] = []
    removed: list[str] = []
    position = 0
    for match in rules.NOTHING_DEMANDED_PATTERN.finditer(raw):
        sentence_rest = re.split(r"[。.!?！？;；]", raw[match.end() :], maxsplit=1)[0].lower()
        turns = [sentence_rest.find(turn) for turn in rules.TURN_WORDS if turn in sentence_rest]
        if turns and any(word in sentence_rest[min(turns) :] for word in rules.TURN_DEMAND_WORDS):
            continue  # "没有要求提交证明，结果还是要": a demand after all
        kept.append(raw[position : match.start()])
        kept.append("。")
        position = match.end()
        if not match.group(0).startswith("无证明"):
            removed.append(match.group(0))
    kept.append(raw[position:])
    rough = [m.group(0) for m in rules.ROUGH_HANDLING_PATTERN.finditer(raw)]
    return rules.ROUGH_HANDLING_PATTERN.sub("。", "".join(kept)), removed + rough


def _proofs_named(text: str) -> set[str]:
    """Proofs named by what they prove (印鉴证明, 户籍证明 in 让我开户籍证明), not a bare 证明; read in the
    text with its punctuation (a field's last words are not the next one's proof's name)."""
    names = set()
    for match in rules.NAMED_PROOF_PATTERN.finditer(text):
        name = re.split(f"[{rules.NOT_A_PROOF_NAME}]", match.group(1))[-1]
        if len(name) >= 2:
            names.add(f"{name}证明")
    return names | {f"证明{m.group(1)}" for m in papers.PROOF_OF_WHAT_PATTERN.finditer(text)}


def _trimmed(paper: str) -> str:
    """A paper's name as staff read it: without the words before it that the pattern took in (还要, 的 …)."""
    if paper.startswith("《"):
        return paper
    for position in range(min(4, len(paper) - 2), 0, -1):
        if paper[position - 1] in rules.DOCUMENT_CUE_TRIM:
            return paper[position:]
    return paper


def _demanded_papers(spaced: str) -> set[str]:
    """Papers someone was told to provide or bring, by the grammar of the demand (要求提交施工图纸), not by
    name: not after a negation (没有要求提交…), not a generic word (一些材料)."""
    found = set()
    for match in (m for pattern in papers.DEMANDED_PAPER_PATTERNS for m in pattern.finditer(spaced)):
        before = spaced[max(0, match.start() - rules.NEGATION_WINDOW) : match.start()]
        if any(negation in before for negation in rules.NEGATIONS):
            continue
        name = re.sub(r"^(?:啥子|什么)", "", match.group(1)).lstrip(
            rules.DOCUMENT_CUE_TRIM
        )  # (还款流水单 stays)
        specific = papers.GENERIC_PAPER_MODIFIERS.sub("", name)
        if len(specific) >= 2 and specific not in papers.GENERIC_PAPER_WORDS:
            found.add(normalise(name))
    return found


def _documents(text: str, spaced: str) -> list[str]:
    tokens = set(segmenter().cut_for_search(text))
    named = {
        _trimmed(match.group(0))
        for match in rules.DOCUMENT_PATTERN.finditer(text)
        if _not_negated(text, [match.group(0)], rules.PROOF_NEGATION_WINDOW)
    } | {name for name in _proofs_named(spaced) if _not_negated(text, [name], rules.PROOF_NEGATION_WINDOW)}
    named |= {match.group(1) for match in rules.HANDED_OVER_PATTERN.finditer(text)}
    named |= _demanded_papers(spaced)
    found = (
        {w for w in _chinese(rules.DOCUMENT_WORDS) if w in text}
        | set(_find_english(spaced, rules.DOCUMENT_WORDS))
        | (tokens & set(rules.DOCUMENT_WORDS))
        | named
        | {name for name in _family_names() if name in text}  # 生存证明, 解除劳动关系证明 … (as guidance)
    )
    # a document that was penalised (营业执照被吊销) or not given (不给发票) is what the complaint is about,
    # not a proof demanded
    return sorted(
        word
        for word in found
        if not any(other in word for other in rules.NOT_A_PROOF_PAPER)
        and (
            word.isascii()
            or any(
                not rules.PENALISED_PATTERN.match(text[m.end() :])
                and not rules.PENALISED_BEFORE_PATTERN.search(text[: m.start()])
                and not rules.NOT_GIVEN_PATTERN.match(text[m.end() :])
                and not rules.NOT_GIVEN_BEFORE_PATTERN.search(text[: m.start()] + word[:3])
                for m in re.finditer(re.escape(word), text)
            )
            or word not in text
        )
    )


def _filed_before(full: str) -> list[str]:
    """Cues that this complaint was filed before: not a later threat, not the channel it came through, not
    when it says it is about another matter."""
    if rules.ANOTHER_MATTER_PATTERN.search(full):
        return []
    text = rules.REPEAT_CHANNEL_PATTERN.sub("。", full)
    found = []
    for cue in rules.REPEAT_CUES:
        if cue not in text:
            continue
        for match in re.finditer(re.escape(cue), text):
            before = text[max(0, match.start() - rules.REPEAT_FUTURE_WINDOW) : match.start()]
            around = text[
                max(0, match.start() - rules.SAME_MATTER_WINDOW) : match.end() + rules.SAME_MATTER_WINDOW
            ]
            if cue in rules.SAME_MATTER_CUES and not rules.COMPLAINT_WORDS_PATTERN.search(around):
                continue
            if not any(word in before for word in rules.REPEAT_FUTURE_WORDS):
                found.append(cue)
                break
    return found


def _commitment_refused(raw: str) -> list[str]:
    """Commitment words, but not where they say what the list provides ("清单写了告知承诺", "清单里…实行告知
    承诺"): the list cited as the reason a proof should not have been demanded is the proof demanded (R5
    Art.4(1)); a commitment the person made or offered and was refused (签了承诺书, 拒绝采用告知承诺) is the
    list not followed (Art.4(2))."""
    found = []
    for clause in re.split(r"[,.;!?，。；！？]", raw):
        text = normalise(clause)
        words = _find(text, rules.COMMITMENT_WORDS)
        if not words:
            continue
        first = min(text.find(word) for word in words)
        lower = clause.lower()
        english = min(  # (an English cue as written, with its spaces: "signed declaration")
            (lower.find(w) for w in rules.COMMITMENT_WORDS if w.isascii() and w in lower), default=-1
        )
        cited = [w for w in _chinese(rules.CATALOGUE_WORDS) if w in text[:first]] + [
            w for w in rules.CATALOGUE_WORDS if w.isascii() and english > 0 and w.strip() in lower[:english]
        ]
        if not cited or any(word in text for word in rules.COMMITMENT_REFUSED):
            found.extend(words)
    return found


def _court_documents(raw: str) -> set[str]:
    """A court's or arbitration body's documents named (法院离婚判决书, "court judgment")."""
    return {
        normalise(re.sub(r"^.*?(?=法院|仲裁)", "", match.group(0)))
        for match in rules.COURT_DOCUMENT_PATTERN.finditer(raw)
    }


def analyse(demand: str, reasons: str, facts: str) -> Findings:
    raw = canonical(" ".join((demand, reasons, facts)))  # a copy: the stored texts stay as written
    full = normalise(raw)
    # proofs are looked for in the text without "no proof was demanded" statements …
    cleared, nothing_demanded = _nothing_demanded(raw)
    cleared = rules.APPLIED_FOR_PATTERN.sub(" application ", rules.ID_PHOTO_PATTERN.sub("照片", cleared))
    text = normalise(cleared)
    spaced = cleared.lower()  # English cues keep their spaces ("paper copy", "no result")
    full_spaced = raw.lower()
    # a court's document demanded is not a lawsuit (and a court then named alone is only the paper's issuer)
    court_free, court_papers = rules.COURT_DOCUMENT_PATTERN.subn("。", raw)
    court_free = "。".join(  # nor a lawsuit only threatened or weighed, or over
        clause
        for clause in re.split(r"[,.;!?，。；！？]", court_free)
        if not rules.LITIGATION_THREAT_PATTERN.search(clause)
        and not rules.LITIGATION_ENDED_PATTERN.search(clause)
    )
    e_licence = _find(text, rules.E_LICENCE_WORDS)
    refused = _find(text, rules.REFUSAL_WORDS) if e_licence else []
    proof_phrases = [m.group(0) for m in rules.PROOF_RELATED_PATTERN.finditer(text)]
    waited = rules.NOT_YET_APPLIED_PATTERN.sub("。", full)  # "还没执行清单" is no check waited on
    return Findings(
        # … while times, services, litigation and waiting are read from all of it
        litigation=[
            cue
            for cue in _not_negated(normalise(court_free), _chinese(rules.LITIGATION_CUES))
            + _find_english(court_free.lower(), rules.LITIGATION_CUES)
            if not (court_papers and cue.strip() in rules.BARE_COURT_CUES)
        ],
        proof_related=_not_negated(
            text,
            _chinese(rules.PROOF_RELATED_WORDS),
            rules.PROOF_NEGATION_WINDOW,
            conditions=True,
        )
        + _find_english(spaced, rules.PROOF_RELATED_WORDS)
        + proof_phrases,
        documents=sorted(set(_documents(text, spaced)) | _court_documents(raw)),
        services=_find(full, rules.SERVICE_WORDS),
        times=[match.group(0) for match in rules.TIME_PATTERN.finditer(raw)],
        places=[match.group(0) for match in rules.PLACE_PATTERN.finditer(raw)],
        catalogue=_find(text, rules.CATALOGUE_WORDS)
        + _find(spaced, [w for w in rules.CATALOGUE_WORDS if " " in w]),
        verification=_find(full, rules.VERIFICATION_WORDS)
        + _find(full_spaced, [w for w in rules.VERIFICATION_WORDS if " " in w])
        + [m.group(0) for m in rules.VERIFICATION_PATTERN.finditer(full)],
        delay=_find(waited, rules.DELAY_WORDS)
        + _find(full_spaced, [w for w in rules.DELAY_WORDS if " " in w])
        + [m.group(0) for m in rules.DELAY_PATTERN.finditer(waited)],
        repeat=_filed_before(full) + _find(full_spaced, [w for w in rules.REPEAT_CUES if " " in w]),
        e_licence_refused=[*e_licence, *refused] if refused else [],
        nothing_demanded=nothing_demanded,
        runaround=_find(full, rules.RUNAROUND_WORDS)
        + _find(full_spaced, [w for w in rules.RUNAROUND_WORDS if " " in w or w.isascii()]),
        list_ignored=[m.group(0) for m in rules.LIST_IGNORED_PATTERN.finditer(full_spaced)],
        commitment=_commitment_refused(raw),
        applied_for=[m.group(0) for m in rules.APPLIED_FOR_CN_PATTERN.finditer(text)],
        grievance=_find(full, _chinese(rules.OTHER_GRIEVANCE_WORDS))
        + _find_english(full_spaced, rules.OTHER_GRIEVANCE_WORDS),
        demands=[m.group(0) for m in rules.DEMAND_PATTERN.finditer(full_spaced)],
        programme=_longest(
            _find(full, rules.PROGRAMME_WORDS) + _find_english(full_spaced, rules.PROGRAMME_WORDS)
        ),
    )
