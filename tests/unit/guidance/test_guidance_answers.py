"""Guidance answers: intents, honest verdicts, the lexicon, and what the answer never invents."""

from __future__ import annotations

import pytest

from nocert_core.adapters.files.catalogue_files import parse_catalogue
from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.errors import ImportFailed, ValidationFailed
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, LexiconEntry, answer, builtin_lexicon
from nocert_core.guidance.search.lexicon import parse_lexicon
from nocert_core.services.catalogue.demo import DEMO_CATALOGUE
from nocert_core.services.catalogue.guidance import indexed

A = ExemptionMode.ASSOCIATION


def entry(code: str, service: str, certificate: str, mode: ExemptionMode = A) -> IndexedEntry:
    return IndexedEntry(code, service, "某单位", None, certificate, mode, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex(
        [
            entry("H-1", "存量房转移登记", "居民户口簿"),
            entry("H-1", "存量房转移登记", "婚姻状况证明", ExemptionMode.ABOLISHED),
            entry("F-1", "食品经营许可", "从业人员健康证明", ExemptionMode.VERIFICATION),
            entry("M-1", "内地居民结婚登记", "居民户口簿"),
        ],
        builtin_lexicon(),
    )


def test_a_colloquial_pair_question_finds_the_official_service_and_certificate(index: GuidanceIndex) -> None:
    result = answer(index, "二手房过户还要带户口本吗？")
    assert (result.intent, result.service and result.service.code, result.certificate, result.exempt) == (
        Intent.PAIR,
        "H-1",
        "居民户口簿",
        True,
    )
    assert result.matches[0].entry.service_code == "H-1"


def test_a_pair_the_catalogue_does_not_list_is_answered_no(index: GuidanceIndex) -> None:
    result = answer(index, "开饭店要带户口本吗")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "F-1",
        False,
    )
    assert result.pair_entry is None


def test_a_certificate_question_lists_every_service_where_it_is_exempt(index: GuidanceIndex) -> None:
    result = answer(index, "户口本在哪些地方可以不用带")
    assert result.intent == Intent.CERTIFICATE and result.service is None
    assert {m.entry.service_code for m in result.matches} == {"H-1", "M-1"}


def test_a_service_question_lists_the_services_exempt_documents(index: GuidanceIndex) -> None:
    result = answer(index, "卖房子哪些材料不用交")
    assert result.intent == Intent.SERVICE and result.service and result.service.code == "H-1"
    assert {m.entry.certificate for m in result.matches} == {"居民户口簿", "婚姻状况证明"}


@pytest.mark.parametrize("question", ["你好", "今天天气怎么样", "？？？", "", "谢谢", "a" * 5000])
def test_greetings_and_unrelated_questions_get_the_unknown_intent_and_no_matches(
    index: GuidanceIndex, question: str
) -> None:
    result = answer(index, question)
    assert result.intent == Intent.UNKNOWN and result.matches == [] and result.as_json()["exempt"] is None


def test_a_proof_no_list_knows_is_still_recognised_and_not_invented(index: GuidanceIndex) -> None:
    result = answer(index, "食品经营许可要带房屋质量鉴定报告吗")
    assert result.intent == Intent.PAIR and result.exempt is False
    assert result.certificate == "房屋质量鉴定报告" and result.matches == []


def test_the_builtin_lexicon_is_large_and_maps_the_common_colloquial_names() -> None:
    lexicon = builtin_lexicon()
    assert len(lexicon) >= 300
    assert lexicon.certificates["户口本"] == "居民户口簿"
    assert lexicon.certificates["房本"] == "不动产权证书"
    assert lexicon.certificates["出生证"] == "出生医学证明"
    assert lexicon.certificates["驾照"] == "机动车驾驶证"
    assert lexicon.certificates["无犯罪证明"] == "无犯罪记录证明"
    assert "转移登记" in lexicon.services["过户"]


def test_an_administrators_term_extends_the_lexicon_and_changes_the_answer() -> None:
    demo = [indexed(row.entry) for row in parse_catalogue(DEMO_CATALOGUE)]
    entries = [*demo, entry("T-1", "林木采伐许可证核发", "林权证")]
    before = answer(GuidanceIndex(entries, builtin_lexicon()), "砍树要林权证吗")
    extended = builtin_lexicon().extended([LexiconEntry("service", "砍树", "林木采伐")])
    after = answer(GuidanceIndex(entries, extended), "砍树要林权证吗")
    # Before: the service asked about (砍树) is unknown, so no other service's rule is offered.
    assert (before.intent, before.matches) == (Intent.UNKNOWN, [])
    assert (after.intent, after.exempt) == (Intent.PAIR, True)


def test_a_lexicon_file_with_a_bad_line_is_refused_as_a_whole() -> None:
    assert parse_lexicon("kind,colloquial,official\ncertificate,户口本子,居民户口簿\n") == [
        LexiconEntry("certificate", "户口本子", "居民户口簿")
    ]
    with pytest.raises(ImportFailed) as raised:
        parse_lexicon("certificate,户口本子,居民户口簿\nplace,东关,东关街道\nservice,过户\n")
    assert [line for line, _ in raised.value.problems] == [2, 3]


@pytest.mark.parametrize(
    "text,mode",
    [
        ("关联", A),
        ("下载上传", ExemptionMode.DOWNLOAD_UPLOAD),
        ("核验", ExemptionMode.VERIFICATION),
        ("承诺", ExemptionMode.COMMITMENT),
        ("取消", ExemptionMode.ABOLISHED),
        ("证明直通车下载上传", ExemptionMode.DOWNLOAD_UPLOAD),
    ],
)
def test_exemption_modes_are_read_in_full_and_short_forms(text: str, mode: ExemptionMode) -> None:
    assert ExemptionMode.parse(text) is mode


def test_an_unknown_exemption_mode_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        ExemptionMode.parse("飞鸽传书")
