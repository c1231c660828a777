"""Answering a question: find what it names (certificate, service), decide the intent, look it up.

Nothing is invented: every match is a catalogue row; a question that names neither a service nor a
certificate gets the `unknown` intent (the channel then says what the bot can help with).
"""

from __future__ import annotations

import re

from nocert_core.guidance.ages import for_age, of_age
from nocert_core.guidance.answer import Answer, Intent, ServiceRef
from nocert_core.guidance.ask_checks import (
    FOCUS_TAIL,
    _added_words,
    _another_licence,
    _asked_later,
    _has_content,
    _look_harder,
    _unsure,
)
from nocert_core.guidance.ask_words import (
    APPLYING,
    ASKS_WHICH,
    DEATH,
    ISSUER,
    LEADING_VERBS,
    PASSED_AWAY,
    PLACEHOLDER,
    SERVICE_CUES,
    STILL_GET,
    VENUE,
    WHERE,
    WHICH_KIND,
    WHICH_SERVICES,
)
from nocert_core.guidance.decide import (
    action_words,
    done_alike,
    more_of_own_words,
    place_bias,
    sibling_tie,
    the_one_said,
    unnamed_kind,
    unplaced,
    unsaid_done_last,
    what_is_done,
)
from nocert_core.guidance.focus import PAIR_SHAPE, listing, unnamed_focus
from nocert_core.guidance.frequency import for_frequency
from nocert_core.guidance.index import GuidanceIndex
from nocert_core.guidance.kinds import CLASS_MARK, classes_of
from nocert_core.guidance.kinship import SERVICE_FORMS, host_of, joining, joins
from nocert_core.guidance.lookup import (
    _certificate,
    _first,
    _global_keys,
    _known_name,
    _listed,
    _pair,
    _service,
    certificate_entries,
    pair_for,
    service_entries,
)
from nocert_core.guidance.mentions import (
    APPLY_SUFFIXES,
    TERSE,
    acts_on_words_before,
    applied_for_name,
    as_proof,
    inside_proof_word,
    is_action,
    joined_proof,
    later_unknown_proof,
    licence_qualifier,
    negated,
    proof_of_a_proof,
    qualified_action,
    same_proof_once,
    trailing_proof,
    unknown_certificate_words,
)
from nocert_core.guidance.name_fit import unexplained
from nocert_core.guidance.phrase import abbreviates, service_phrase
from nocert_core.guidance.plain import (
    in_place,
    lost_then_replaced,
    named_by_proof,
    the_one_denied,
    trailing_short_proof,
    without_owners,
)
from nocert_core.guidance.spans import Span
from nocert_core.guidance.text import normalise, normalise_parts
from nocert_core.guidance.typed import typed_name_first, typed_no_tie
from nocert_core.guidance.whom import for_someone_else

MAX_QUESTION = 300
MIN_SERVICE_SCORE = 1.5  # at least one reasonably specific word must match
MIN_CONFIDENCE = 0.3  # share of the question's (known) words the best service explains
FIT_WINDOW = 0.4  # services this close may be the one whose name has the words that name the service
SHORT = 40  # characters: longer, a loss or a change is as often the story's (火化证明我找不到了)
NOT_THE_ISSUE = frozenset(["replace", "change", "cancel"])  # done to a licence held, never its first issue
FIRST_ISSUE = re.compile(r"核发|首次|初次|新办|初领")  # a service named as a licence's first issue
SIBLINGS = 8  # the best services checked for whom they are for
WHICH_GAP = 3  # characters between a licence and "哪些证明" asked about it ("…优待证 免哪些证明")
SYNONYM_LENGTH = 4  # a lexicon service entry whose official words are all this short is a word synonym


def answer_chinese(index: GuidanceIndex, question: str, scope: set[str] | None = None) -> Answer:
    """The answer in the catalogue's terms; `scope`: the units of the (covered) place the person named.
    Sibling services the person's words do not tell apart are left in `candidates` (the caller asks)."""
    text = normalise_parts(question)[:MAX_QUESTION]
    if not text:
        return Answer(question, Intent.UNKNOWN)
    text = index.typos.correct(text)  # 社宝卡 → 社保卡, 到其 → 到期
    text = joined_proof(index, text)  # 亲属关系的证明 → 亲属关系证明
    which = PLACEHOLDER.search(text)
    text = PLACEHOLDER.sub(" ", text)  # "啥证明", "哪些材料" ask what; they name no proof
    text = WHICH_KIND.sub("哪些事项", text)  # "哪些许可": which services, naming none
    text = STILL_GET.sub(r"\1开", text)  # "还要去公证处办公证书吗": getting the proof, not applying
    text = ISSUER.sub(r"\1 \3", text)  # "跑税务局开": where a proof is got, not the service asked about
    text = VENUE.sub(" ", text)  # "学校那边发了一长串清单": who said so, not what is applied for
    inner: list[str] = []
    named_licences: list[Span] = []  # licences inside service phrases (驾照 of 补驾照)
    spans = [
        as_proof(text, span)
        for span in index.find_spans(text, inner, named_licences)
        if not negated(text, span) and not inside_proof_word(text, span)
    ]
    spans = proof_of_a_proof(text, same_proof_once(text, trailing_proof(index, text, spans)))
    asked: list[Span] = []
    service_texts: list[tuple[str, float]] = [(value, 0.5) for value in inner]
    # The person's own words (and word-for-word synonyms) tell sibling services apart; a lexicon phrase's
    # full official service name is the lexicon's guess among them, not evidence.
    own_texts: list[tuple[str, float]] = [(value, 1.0) for value in inner]
    phrases: list[str] = []
    licences: list[Span] = []  # certificates applied for (补办行驶证): what the service must be about
    qualifiers: list[str] = []  # the words naming which kind of licence is applied for (临时 身份证)
    guesses: list[str] = []  # the lexicon's guess beside a phrase typed short: scores, no confidence lost
    added: list[str] = []  # the official words around what was typed (办护照 → 内地居民普通护照签发)
    for position, span in enumerate(spans):
        # "居住证 房本?": a leading certificate followed by another names what is applied for.
        leading = (
            position == 0
            and text[: span.start] in LEADING_VERBS
            and any(s.kind == "certificate" for s in spans[1:])
        )  # (also "开无犯罪记录证明要单位介绍信吗": the first proof is what is applied for)
        # "X从业资格证哪些证明能免": a licence right before "which proofs" is what the proofs are for
        for_which = which is not None and 0 <= which.start() - span.end <= WHICH_GAP
        acted = is_action(text, span.start) and not acts_on_words_before(text, span.start)
        applied_for = acted or text.startswith(APPLY_SUFFIXES, span.end) or leading
        applied_for = applied_for or lost_then_replaced(text, span.end)  # (光荣证丢了，补领)
        applied_for = applied_for or for_which or qualified_action(text, span, spans)
        # "员工都得先办健康证交上去，…健康证还要交吗": a proof got (办) in an earlier clause and asked
        # about at the pair verb is that proof, not what the service issues
        applied_for = applied_for and not _asked_later(text, span, spans)
        if span.kind == "certificate" and not applied_for:
            asked.append(span)
            continue
        if span.kind == "certificate":
            licences.append(span)
            kind_of = licence_qualifier(text, span, spans) if not is_action(text, span.start) else None
            qualifiers.extend([kind_of] if kind_of else [])
        # A service phrase, or a certificate being applied for: search the official words (and what was said).
        # One right before another service phrase says what that one is about (新房 + 提取公积金): half.
        about = span.kind == "service" and any(s.kind == "service" and s.start == span.end for s in spans)
        weight = 0.5 if about else 1.0
        short = abbreviates(span)
        parts = span.value.split()
        said = short or [p for p in parts if len(set(p) & set(span.text)) >= 2 and len(p) > SYNONYM_LENGTH]
        # A part holding all the person typed (护理补贴 → 重度残疾人护理补贴) is what was said; the phrase's
        # other services (困难残疾人生活补贴) are the lexicon's alternatives, guesses like the parts below.
        whole = [p for p in parts if len(p) > len(span.text) and normalise(span.text) in normalise(p)]
        said = whole if whole and len(whole) < len(parts) else said
        for part in parts:
            # A part sharing no character with what was typed, beside one the typed words are a short form
            # of or share a word with (小学报名, 上小学 → 义务教育 小学入学报名): the lexicon's guess, half
            # weight and not in the confidence (never a kind of service: 首次登记 is what is done).
            unsaid = (part not in whole if whole else not set(part) & set(span.text)) and not classes_of(part)
            guess = bool(said) and part not in said and unsaid
            service_texts.append((part, weight / 2 if guess else weight))
            guesses.extend([part] if guess else [])
            if not guess:
                added.extend(_added_words(index, part, span.text))
        service_texts.append((span.text, 0.5))
        own_texts.append((span.text, 1.0))
        if all(len(word) <= SYNONYM_LENGTH for word in span.value.split()):
            own_texts.append((span.value, 1.0))
        own_texts.extend((word, 1.0) for word in abbreviates(span))  # (网约车: 网络预约出租汽车 said short)
        phrases.extend(normalise(part) for part in span.value.split() if len(normalise(part)) >= 3)
    # An idiom the lexicon gives one official phrase for (上户口 → 出生登记) means that phrase; one given
    # several (抚恤金 → 丧葬补助金 抚恤金) is the lexicon's list of guesses.
    meant = [
        normalise(span.value)
        for span in spans
        if span.kind == "service" and " " not in span.value.strip() and len(normalise(span.value)) >= 3
    ]
    rest = without_owners(text, spans, asked, APPLYING)  # (经营场所的 房产证: whose, not which service)
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        rest = rest[: span.start] + " " + rest[span.end :]
    rest_words = [word for word in rest.split() if word]
    mention: tuple[str, str] | None = None  # (what was said, the lexicon's official name)
    mention_official = True  # False: no list knows the proof; its name is the person's own words
    if which and asked and " " in text[asked[-1].end : which.start()]:
        # "一直办着残疾人证，…现在去申请，哪些证明不用准备": a proof in an earlier clause is context; the
        # question asks which proofs a service no longer needs.
        asked = []
    focus = unnamed_focus(index, text, asked, spans) if asked and not which else None
    if focus:
        # "…出生证，还有押金条，押金条还要交吗": a proof no list knows right before the pair verb is the one
        # asked about; the proofs named earlier are context (never their rule for it).
        mention, mention_official, asked = (focus, focus), False, []
    elif asked:
        chosen = asked[-1]  # the proof asked about is usually named last ("办X要带Y吗")
        tail = text[chosen.end :]
        if not (len(tail) <= FOCUS_TAIL and PAIR_SHAPE.search(tail)):
            for span in asked:
                if _global_keys(index, span.text, span.value):
                    chosen = span
        # (…"出生证，还有出院小结，出院小结还要交吗": the proof right before the pair verb is the one asked,
        # even when no list knows it — never an earlier one the list has.)
        mention = (chosen.text, chosen.value)
        later = later_unknown_proof(index, text, chosen.end)
        if later:  # "…行驶证、从业资格证等等。司机的从业资格证…还要不要交": the proof of the question
            mention, mention_official = (later, later), False
    else:
        for position, word in enumerate(rest_words):
            candidates = unknown_certificate_words(index, word)
            if candidates and applied_for_name(word, candidates[-1]):
                continue  # "优待证申领", "办捕捞许可证": what the service issues, its words name the service
            if candidates:
                mention = (candidates[-1], candidates[-1])
                mention_official = False
                rest_words[position] = word.replace(candidates[-1], " ")
    service_texts.extend((word, 1.0) for word in rest_words if word.strip())
    own_texts.extend((word, 1.0) for word in rest_words if word.strip())
    host = host_of(text)  # whom the household joins (父母投靠子女 is not 子女投靠父母)
    if host:  # "想把我妈的户口迁到我这来": the person means a 投靠 service, joining that relative
        service_texts.append((SERVICE_FORMS[host][0], 1.0))
        own_texts.append((SERVICE_FORMS[host][0], 1.0))
    died = [(DEATH, 1.0)] if PASSED_AWAY.search(text) else []  # "我爸去年冬天突然走了": a death, not a
    service_texts += died  # departure — the person's word for the death's services, but context: no
    own_texts += died  # confidence is lost when the service is another (the inheritance after it)
    terms = index.query_terms(service_texts)
    own = index.query_terms(own_texts)
    unasked = "".join(" " if any(a.start <= i < a.end for a in asked) else ch for i, ch in enumerate(text))
    for term, weight in action_words(index, unasked).items():  # (not 遗失 of 遗失声明, the proof asked)
        own[term] = max(own.get(term, 0.0), weight)
    groups = []  # word synonyms of one thing the person said (补贴 → 补贴 津贴 补助)
    for span in spans:
        words = span.value.split()
        if span.kind == "service" and len(words) > 1 and all(len(w) <= SYNONYM_LENGTH for w in words):
            group = {term for word in words for term in index.query_terms([(word, 1.0)]) if term in terms}
            if len(group) > 1:
                groups.append(group)
    guessed = set(index.query_terms([(part, 1.0) for part in guesses])) - set(own)
    guessed |= set(index.query_terms(died))
    guessed |= set(index.query_terms([(word, 1.0) for word in added])) - set(own)
    ranked, mass = index.rank_services(terms, phrases, groups=groups, aside=guessed)
    phrase, soft = service_phrase(index, text, spans, asked)
    mass += index.unknown_mass(phrase + soft)
    placed = place_bias(index, ranked, scope, own)
    ranked = what_is_done(index, index.prefer_distinguishing(placed, own, placed=scope is not None), own)
    ranked = unsaid_done_last(index, more_of_own_words(index, ranked, own, meant), own)
    ranked = typed_name_first(index, text, ranked)  # (新生儿参加居民医保 typed whole: that one)
    ranked = for_age(index, text, ranked)  # (95岁: not 80–89's)
    ranked, wrong_frequency = for_frequency(index, text, ranked)  # (一次性补助: not 定期生活补助)
    ranked, wrong_relative = joining(index, ranked, host)
    service_found = (
        bool(ranked)
        and ranked[0][1] >= MIN_SERVICE_SCORE
        and mass > 0
        and (ranked[0][1] / mass >= MIN_CONFIDENCE)
    )
    if mention and not service_found and PAIR_SHAPE.search(text) and WHERE.search(text) is None:
        service_text = "".join(
            rest_words + [span.text for span in spans if span.kind == "service" or span not in asked]
        )
        harder = _look_harder(index, service_text, terms, own, phrases)
        if harder:
            ranked, service_found = place_bias(index, harder, scope), True
    # (a service named only in the lexicon's words — 办营业执照 → 企业设立登记 — is told apart by those words:
    # two registrations they fit alike are asked about, never one guessed)
    applying = APPLYING.search(text) is not None
    tied = sibling_tie(index, ranked, own or terms, applying) if service_found else []
    tied = [doc for doc in tied if joins(index.services[doc].name) in (None, host)] if host else tied
    tied = typed_no_tie(index, text, ranked, tied)  # (医师执业注册 typed whole: not 医师变更执业注册)
    tied = in_place(index, tied, scope)  # (滕州…一年级报名: never another district's own service)
    tied, said_one = the_one_said(index, text, tied)  # "…农村低保和城市低保…我申请的是农村的"
    tied, denied = the_one_denied(index, text, tied)  # "农村低保（不是城市的）"
    for term in denied:
        own.pop(term, None)
    tied = of_age(index, tied, text)  # "家母92岁…高龄津贴": the 90–99 one, not the 80–89 one
    for term in said_one:  # (those words then weigh twice: no listed proof moves the answer back)
        own[term] = own.get(term, 0.0) + 1.0
    if len(tied) == 1:  # the siblings' base service (居住证申领 before 居住证签注), as listed for the place
        base = unplaced(index, index.services[tied[0]].key)  # (the place's twin came first in `ranked`)
        ranked = _first(ranked, next(d for d, _s in ranked if unplaced(index, index.services[d].key) == base))
        tied = []
    misfit = wrong_relative or wrong_frequency  # the service the person names is not one the catalogue has
    if licences and service_found and _another_licence(index, ranked[0][0], licences):
        misfit = True  # 行驶证补办 is not 驾驶证遗失补证
    if (licences or named_licences) and tied:  # (nor a sibling to ask about: 补驾照 is never 行驶证补领)
        tied = [doc for doc in tied if not _another_licence(index, doc, licences + named_licences)]
        tied = tied if len(tied) > 1 else []
    if service_found and unnamed_kind(index, ranked[0][0], qualifiers):
        misfit = True  # 办临时身份证: no 居民身份证 service is the temporary card's
    if service_found:  # 城镇职工医保 is not 城乡居民医保, 民办学校设立 not 有限责任公司设立登记
        others = {doc for doc, _s in ranked[:SIBLINGS] if for_someone_else(unasked, index.services[doc].key)}
        misfit = misfit or ranked[0][0] in others
        kept = [item for item in ranked if item[0] not in others]
        if kept:  # (and a tie between services for someone else is no tie: they are no longer ranked)
            ranked, tied = kept, [doc for doc in tied if doc not in others]
    # 补办结婚证 over a list whose only marriage service is the registration, 注销 a licence only issued
    # there: what the person does to it is another service, which the catalogue lacks.
    said_done = {term.removeprefix(CLASS_MARK) for term in own if term.startswith(CLASS_MARK)}
    top_key = index.services[ranked[0][0]].key if ranked else ""
    # (a renewal too, when the service says it is the first issue: 导游证核发 is not 导游证换发)
    done = said_done & (NOT_THE_ISSUE | ({"renew"} if FIRST_ISSUE.search(top_key) else set()))
    if done and ranked and len(text) <= SHORT and not done & classes_of(top_key):
        misfit = True
    mass -= done_alike(index, ranked[0][0], terms) if ranked else 0.0
    confidence = ranked[0][1] / mass if ranked and mass > 0 else 0.0
    if phrase and service_found:
        # Every word naming the service must be in the service's name (生育登记 is not 生育津贴申领).
        fits = {doc for doc, score in ranked if score >= ranked[0][1] * FIT_WINDOW}
        if mention:  # the services whose lists have the proof asked about (渔船登记 … 捕捞证 → 渔业船舶登记)
            missing = unexplained(index, ranked[0][0], phrase)
            # (words the ranking could not use; never only what is done — 换发 — which any licence's
            # renewal has: 护照换发 is not 残疾人证换领 because both renew and list the proof)
            named = [word for word in missing if not classes_of(word)]
            if named and all(index.is_unknown(word) for word in missing):
                extra = listing(index, _global_keys(index, *mention))
                ranked = ranked + [(doc, ranked[0][1] * FIT_WINDOW) for doc in extra if doc not in fits]
                fits |= set(extra)
        fits = {doc for doc in fits | set(tied) if not unexplained(index, doc, phrase)}
        # The best service named in full (公积金贷款 → 住房公积金个人住房贷款) with a word its name lacks
        # (提前还款): a step of that service the catalogue has not — never another service that has the word.
        if not fits or (ranked[0][0] not in fits and index.services[ranked[0][0]].key in phrases):
            misfit = True
        elif ranked[0][0] not in fits:
            ranked = _first(ranked, next(doc for doc, _score in ranked if doc in fits))
            tied = [doc for doc in tied if doc in fits]
        else:
            tied = [doc for doc in tied if doc in fits]
        if len(tied) < 2:
            tied = []
    if mention and len(tied) > 1:  # (车过户要绿本吗: 机动车登记证书 says the transfer is a vehicle's)
        said_of = named_by_proof(index, tied, mention[1])
        if said_of is not None:
            ranked, tied = _first(ranked, said_of), []
    tie = [index.services[doc].ref() for doc in tied]
    mention_where = WHERE.search(text) is not None
    if misfit or (not service_found and any(s.kind == "service" for s in spans) and not mention_where):
        # A service the catalogue has not (渔船登记, 办港澳通行证): never another service's rule or list.
        return Answer(
            question,
            Intent.UNKNOWN,
            certificate=_known_name(index, *mention) if mention else None,
            certificate_in_catalogue=bool(mention and _global_keys(index, *mention)),
            certificate_official=mention_official,
            service_not_listed=True,
        )
    # "收入证明哪些业务不需要单位盖章了": which services, with no service named — the words after it are
    # what is asked of the proof, not a service
    which_services = WHICH_SERVICES.search(text) and not any(s.kind == "service" for s in spans)
    if mention and service_found and not which_services:
        result = _pair(index, question, ranked, *mention, own=own)
        asked_keys = set(_global_keys(index, *mention))
        result.candidates = sorted(tie, key=lambda ref: not asked_keys & set(_listed(index, ref.code)))
        result.candidates = result.candidates or _unsure(index, result, placed, text, own, said_one + denied)
        result.confidence = confidence
        result.certificate_official = mention_official or result.certificate_in_catalogue
        return result
    if mention:
        keys = index.named_longer(mention[1], text) or _global_keys(index, *mention)
        name = index.certificate_names[keys[0]] if len(keys) == 1 else mention[1]
        # "办X要Y吗", and terse "办狗证 房本?" / "社团登记 租房合同": a service is named beside the proof
        asks_for_a_service = WHERE.search(text) is None and (
            PAIR_SHAPE.search(text) or any(word in text for word in SERVICE_CUES)
        )
        if not keys or (asks_for_a_service and _has_content(index, rest_words)):
            # A proof no list knows, or a service the catalogue has not: never another service's rule.
            return Answer(
                question,
                Intent.UNKNOWN,
                certificate=name if keys else mention[1],
                certificate_in_catalogue=bool(keys),
                certificate_official=mention_official or bool(keys),
                service_not_listed=bool(keys),
            )
        result = _certificate(index, question, name, keys, ranked if WHERE.search(text) is None else [])
        result.certificate_official = mention_official or bool(keys)
        return result
    short_proof = trailing_short_proof(index, text, rest_words, ranked[0][0]) if service_found else None
    if short_proof is not None:  # "X过户 发票?": the service's own 购房发票
        result = _pair(index, question, ranked[:1], short_proof, short_proof, own=own)
        result.confidence = confidence
        return result
    parts = text.split()
    last = parts[-1] if len(parts) == 2 and rest_words and rest_words[-1] == parts[-1] else ""
    terse = service_found and which is None and WHERE.search(text) is None and len(text) <= TERSE
    if terse and len(last) >= 2 and not classes_of(last):
        # "退休 档案?": the last word of a terse "A B?" is the proof asked about, even one no list knows —
        # never A's whole list (which says "not needed" for other proofs)
        return Answer(question, Intent.UNKNOWN, certificate=last, certificate_official=False)
    if service_found and PAIR_SHAPE.search(text) and not ASKS_WHICH.search(text):
        # "…租房备案那个证明还要交不": one proof is asked about and no list's name for it was read — the
        # service's whole list would say "not needed" for proofs nobody asked about
        return Answer(question, Intent.UNKNOWN)
    if service_found:
        result = _service(index, question, ranked)
        result.candidates = tie or _unsure(index, result, placed, text, own, said_one + denied)
        result.confidence = confidence
        return result
    return Answer(question, Intent.UNKNOWN)


__all__ = ["ServiceRef", "answer_chinese", "certificate_entries", "pair_for", "service_entries"]
