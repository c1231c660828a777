"""How an English question is read before the glossary maps it: proofs asked with "without", subjects after
"proving/showing", glosses in brackets, sentences that are context, and services no entry can name."""

from __future__ import annotations

import pytest

from nocert_core.guidance.reading.english import to_chinese


def test_the_proof_after_without_is_the_one_asked_about_and_a_trailing_first_says_when() -> None:
    chinese = to_chinese("Can I renew my driving licence without getting a medical certificate first?")
    assert chinese == "办驾驶证期满换证还要带诊断证明吗"  # (renewing a driving licence: its expiry renewal)


def test_a_certificate_proving_something_is_named_by_what_it_proves() -> None:
    assert to_chinese("To register our marriage, do we need a certificate showing we are single?") == (
        "办结婚登记还要带单身证明吗"
    )


def test_a_gloss_in_brackets_does_not_cut_a_documents_name_in_two() -> None:
    chinese = to_chinese(
        "Does medical assistance still require the subsistence allowance (dibao) certificate?"
    )
    assert chinese == "办医疗救助还要带最低生活保障证明吗"
    glossed = to_chinese(
        "Renewing my passport, must I bring a household registration certificate (hukou proof)?"
    )
    assert glossed is not None and glossed.endswith("户籍证明吗")  # (not the hukou booklet the gloss names)


def test_a_service_word_in_another_sentence_is_another_clause_not_part_of_the_service() -> None:
    chinese = to_chinese(
        "My son starts primary school in September. We rent a flat. Must I show a residence permit?"
    )
    assert chinese is not None and "小学入学，" in chinese


def test_what_is_applied_for_in_words_no_entry_knows_is_not_dropped_into_a_certificate_question() -> None:
    # (without the service, "where is the hukou booklet not needed" would list other services' rules)
    assert to_chinese("Do I need my hukou booklet for the free dental check?") is None
    assert to_chinese("Do I need my hukou booklet for me?") == "户口本在哪些地方可以不用带"


def test_a_one_off_subsidy_keeps_its_one_off() -> None:
    chinese = to_chinese("For the one-off business start-up subsidy, must I bring my ID card?")
    assert chinese is not None and "一次性创业补贴" in chinese


def test_a_tax_receipt_is_the_proof_that_tax_was_paid() -> None:
    chinese = to_chinese("For the annual inspection, do I need the vehicle and vessel tax receipt?")
    assert chinese is not None and chinese.endswith("车船税完税证明吗")  # (not 车船税凭证, no proof's name)


def test_which_documents_can_be_skipped_names_no_proof_and_keeps_the_kind_of_application() -> None:
    chinese = to_chinese(
        "What documents can I skip when applying for a food business licence for the first time?"
    )
    assert chinese is not None and "首次" in chinese and chinese.endswith("哪些材料不用带")


@pytest.mark.parametrize(
    ("question", "proof"),
    [
        ("Do I need my medical records to apply for medical assistance?", "病历资料"),
        ("Do I need the loan contract to withdraw my housing fund?", "借款合同"),
        ("Is the birth permit still needed to register my newborn?", "生育服务证"),
    ],
)
def test_proofs_the_lexicon_names_have_english_names_too(question: str, proof: str) -> None:
    chinese = to_chinese(question)
    assert chinese is not None and chinese.endswith(f"还要带{proof}吗")


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("Do I need my hukou booklet for an out-of-town medical treatment filing?", "异地就医备案"),
        ("Do I need my ID card for a pension transfer?", "养老保险关系转移"),
        ("Do I need my marriage certificate for adoption registration?", "收养登记"),
    ],
)
def test_services_of_national_practice_have_english_names(question: str, service: str) -> None:
    chinese = to_chinese(question)
    assert chinese is not None and chinese.startswith(f"办{service}还要带")
