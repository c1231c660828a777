"""Looking answers up once the intent is known: a pair (does service X still need proof Y — a listed proof
is evidence between siblings), a certificate's services, a service's list, the chat's follow-up lookups."""

from __future__ import annotations

from nocert_core.domain.catalogue import certificate_key
from nocert_core.guidance.answer import Answer, Intent, Match
from nocert_core.guidance.answering.decide import actions_said, unplaced
from nocert_core.guidance.search.certificates import GLOBAL, IN_SERVICE
from nocert_core.guidance.search.index import GuidanceIndex
from nocert_core.guidance.search.text import dice, normalise
from nocert_core.guidance.siblings.kinds import classes_of

CLOSE = 0.85  # services this close to the best are alternatives
RELATED = 0.5  # services this close are listed after the answer
MAX_MATCHES = 20
NEARBY = 5  # services ranked this high name a proof the chosen one does not list
EVIDENCE_WINDOW = 0.7  # services this close may win by listing the proof…
EVIDENCE_NAMES = 0.4  # …if their names are this alike (Dice of character bigrams) to the best one's
EVIDENCE = 0.2  # …which multiplies their score by up to 1 + EVIDENCE


def _first(ranked: list[tuple[int, float]], doc: int) -> list[tuple[int, float]]:
    """`doc` first, scored as the best (so a listed proof's evidence does not move the choice back)."""
    return [(doc, ranked[0][1])] + [item for item in ranked if item[0] != doc]


def _alike(index: GuidanceIndex, one: int, other: int) -> float:
    return dice(index.services[one].grams, index.services[other].grams)


def _known_name(index: GuidanceIndex, said: str, official: str) -> str:
    keys = _global_keys(index, said, official)
    return index.certificate_names[keys[0]] if len(keys) == 1 else official


def _listed(index: GuidanceIndex, code: str) -> list[str]:
    return list(index.services[index.service_by_code[code]].certificates)


def _global_keys(index: GuidanceIndex, said: str, official: str) -> list[str]:
    """The catalogue certificates a mention stands for when no service narrows it down."""
    keys = index.official_keys(official) or index.official_keys(said)
    if keys:
        return keys
    key, _similarity = index.resolver.resolve(index.resolver.names_for(said, official))
    return [key] if key else []


def _close(ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    best = ranked[0][1]
    return [(doc, score) for doc, score in ranked if score >= best * CLOSE]


def _pair(
    index: GuidanceIndex,
    question: str,
    ranked: list[tuple[int, float]],
    said: str,
    official: str,
    own: dict[str, float] | None = None,
) -> Answer:
    names = index.resolver.names_for(said, official)
    global_keys = _global_keys(index, said, official)
    said_keys = index.official_keys(said) if normalise(said) != normalise(official) else []
    named_exactly = any(index.resolver.by_normal.get(name) for name, weight in names if weight >= 1.0)
    best = ranked[0][1]
    # The proof listed for a plausible service is evidence for that service: the one asked about is the one
    # whose list names it (exactly or closely enough), unless another service is clearly more likely.
    weighed: list[tuple[float, int, str | None]] = []
    own = own or {}
    top_own = sum(w for term, w in own.items() if term in index.forward[ranked[0][0]])
    top_done = classes_of(index.services[ranked[0][0]].key)
    said_done = actions_said(own)
    scores: dict[str, float] = {}  # certificate key → how alike its name is to the mention's names
    for rank, (doc_index, score) in enumerate(ranked):
        if score < best * EVIDENCE_WINDOW:
            break
        if sum(w for term, w in own.items() if term in index.forward[doc_index]) < top_own - 1e-9:
            continue  # the person's own words (补领, 换证) chose against it: a listed proof cannot overrule
        if rank and _alike(index, doc_index, ranked[0][0]) < EVIDENCE_NAMES:
            continue  # evidence tells siblings apart, it does not turn one service into another
        if rank and classes_of(index.services[doc_index].key) - top_done - said_done - {"new"}:
            continue  # nor a first registration into its change or cancellation (变更, 注销) nobody said
        if rank and unplaced(index, index.services[doc_index].key) == unplaced(
            index, index.services[ranked[0][0]].key
        ):
            continue  # the same service of another place or level: the place decides, never the list
        listed = index.services[doc_index].certificates
        key = (
            next((k for k in said_keys if k in listed), None)  # the person's own words first (住所证明 →
            or next((k for k in global_keys if k in listed), None)  # 村(居)委会住所证明, not the family's)
            or index.resolver.in_family(names, listed)
        )
        similarity = 1.0 if key else 0.0
        if key is None:
            key, similarity = index.resolver.best(names, listed, scores)
            # A proof the catalogue lists by the very name asked (渔业船员证书) is that proof: a service
            # listing only a look-alike (渔业船舶登记证书) must be far closer to count.
            needed = GLOBAL if named_exactly else IN_SERVICE
            if similarity < needed or (key and index.resolver.other_family(names, key)):
                key, similarity = None, 0.0
        weighed.append((score * (1 + EVIDENCE * similarity) - rank * 1e-9, doc_index, key))
    _adjusted, chosen_doc, matched = max(weighed)
    doc = index.services[chosen_doc]
    # (not listed: named as the services around it list it — 体检证明 → 机动车驾驶人身体条件证明 beside a
    # driving licence, not 健康检查证明); a name the catalogue has itself stays)
    typed_name = index.resolver.by_normal.get(normalise(said)) is not None
    nearby = [] if matched or typed_name else _named_nearby(index, ranked, names, chosen_doc)
    keys = list(dict.fromkeys(([matched] if matched else []) + nearby + global_keys))
    name = index.certificate_names[keys[0]] if len(keys) == 1 or matched or nearby else official
    if not matched and not nearby and keys and _another_document(index, keys[0], said, official, names):
        name = official  # (体检证明 for a nurse: not 机动车驾驶人身体条件证明, which only its family reaches)
    top = ranked[0][1]
    matches = []
    if matched:
        matches.append(Match(index.entries[doc.certificates[matched]], 1.0))
    related = [item for item in ranked if item[0] != chosen_doc and item[1] >= top * RELATED]
    for doc_index, score in related:
        for key in keys:
            position = index.services[doc_index].certificates.get(key)
            if position is not None:
                matches.append(Match(index.entries[position], score / top))
    close = _close(ranked)
    return Answer(
        question,
        Intent.PAIR,
        service=doc.ref(),
        certificate=name,
        certificate_in_catalogue=bool(keys),
        exempt=matched is not None,
        matches=matches[:MAX_MATCHES],
        total_matches=len(matches),
        alternatives=[index.services[d].ref() for d, _ in close if d != chosen_doc][:4],
    )


def _another_document(
    index: GuidanceIndex, key: str, said: str, official: str, names: list[tuple[str, float]]
) -> bool:
    """The catalogue proof found for a mention no service around it lists is reached only through the other
    names of its family, and the lexicon knows it as a document of its own (机动车驾驶人身体条件证明, which
    people call 驾照体检表): what can serve as the proof beside a driving licence, not its name elsewhere."""
    if index.official_keys(official) or index.official_keys(said):
        return False
    if normalise(index.certificate_names[key]) not in index.resolver.officials - {normalise(official)}:
        return False
    own = [(name, weight) for name, weight in names if weight >= 1.0]
    return index.resolver.resolve(own)[0] is None


def _named_nearby(
    index: GuidanceIndex, ranked: list[tuple[int, float]], names: list[tuple[str, float]], chosen: int
) -> list[str]:
    """The catalogue's name for a proof the chosen service does not list, as the services ranked close to it
    (its siblings, its twin at another level) list it: by name, by family, or closely alike."""
    top = ranked[0][1]
    for doc_index, score in ranked[:NEARBY]:
        if score < top * RELATED or doc_index == chosen:
            continue
        listed = index.services[doc_index].certificates
        key = index.resolver.in_family(names, listed)
        if key is None:
            key, similarity = index.resolver.best(names, listed)
            if similarity < IN_SERVICE or (key and index.resolver.other_family(names, key)):
                key = None
        if key is not None:
            return [key]
    return []


def _certificate(
    index: GuidanceIndex, question: str, name: str, keys: list[str], ranked: list[tuple[int, float]]
) -> Answer:
    total = sum(len(index.certificates.get(key, ())) for key in keys)
    chosen: list[int] = []
    for doc_index, _score in ranked:  # words about a kind of service put those first ("买房的时候")
        for key in keys:
            position = index.services[doc_index].certificates.get(key)
            if position is not None and len(chosen) < MAX_MATCHES:
                chosen.append(position)
    seen = set(chosen)
    for key in keys:
        for position in index.certificates.get(key, ()):
            if len(chosen) >= MAX_MATCHES:
                break
            if position not in seen:
                chosen.append(position)
    matches = [Match(index.entries[p], 1.0) for p in chosen]
    return Answer(
        question,
        Intent.CERTIFICATE,
        certificate=name,
        certificate_in_catalogue=bool(keys),
        matches=matches,
        total_matches=total,
    )


def _service(index: GuidanceIndex, question: str, ranked: list[tuple[int, float]]) -> Answer:
    top_doc = ranked[0][0]
    doc = index.services[top_doc]
    matches = [Match(index.entries[p], 1.0) for p in doc.entries[:MAX_MATCHES]]
    close = _close(ranked)
    return Answer(
        question,
        Intent.SERVICE,
        service=doc.ref(),
        matches=matches[:MAX_MATCHES],
        total_matches=len(matches),
        alternatives=[index.services[d].ref() for d, _ in close[1:5]],
    )


def service_entries(index: GuidanceIndex, service_code: str) -> Answer | None:
    """All rows of one service (the chat's "other documents for this service")."""
    doc_index = index.service_by_code.get(service_code)
    if doc_index is None:
        return None
    doc = index.services[doc_index]
    matches = [Match(index.entries[p], 1.0) for p in doc.entries]
    return Answer(doc.name, Intent.SERVICE, service=doc.ref(), matches=matches, total_matches=len(matches))


def pair_for(index: GuidanceIndex, service_code: str, certificate: str) -> Answer | None:
    """The pair answer for a chosen service (the chat's "did you mean" buttons)."""
    doc_index = index.service_by_code.get(service_code)
    if doc_index is None:
        return None
    return _pair(index, certificate, [(doc_index, 1.0)], certificate, certificate)


def certificate_entries(index: GuidanceIndex, certificate: str) -> Answer:
    """All services where one proof is exempt (the chat's "other services accepting this certificate")."""
    keys = index.official_keys(certificate) or [certificate_key(certificate)]
    return _certificate(index, certificate, certificate, [k for k in keys if k in index.certificates], [])


__all__ = ["certificate_entries", "pair_for", "service_entries"]
