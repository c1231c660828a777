"""English and traditional questions over a Chinese catalogue: the mechanisms that carry them to the answer a
simplified question gets, or to an honest "I could not map this".

A made-up register and catalogue (a city and one district, worded unlike any evaluation set); each test is a
failure category seen on catalogues nobody had tuned on.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.reading.english import stem, to_chinese
from nocert_core.guidance.siblings.kinds import classes_of
from nocert_core.textnorm import canonical
from tests.unit.guidance.made_up import verdict_naming_proof as verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "青川市人民政府"),
    RegisterUnit("C-GA", "青川市公安局", "C"),
    RegisterUnit("C-GJJ", "青川市住房公积金中心", "C"),
    RegisterUnit("C-SP", "青川市行政审批服务局", "C"),
    RegisterUnit("L", "兰山区人民政府", "C"),
    RegisterUnit("L-SP", "兰山区行政审批服务局", "L"),
    RegisterUnit("L-JY", "兰山区教育和体育局", "L"),
    RegisterUnit("L-JD", "兰山区柳青街道办事处", "L"),
    RegisterUnit("L-MZ", "兰山区民政局", "L"),
]
ROWS = [
    ("GA-1", "机动车驾驶证有效期满换证", "青川市公安局", "C-GA", "机动车驾驶人身体条件证明"),
    ("GA-2", "机动车驾驶证损毁换证", "青川市公安局", "C-GA", "居民身份证复印件"),
    ("GA-2", "机动车驾驶证损毁换证", "青川市公安局", "C-GA", "机动车驾驶人身体条件证明"),
    ("GJJ-1", "住房公积金提取（租房）", "青川市住房公积金中心", "C-GJJ", "不动产登记查询结果证明"),
    ("SP-1", "社会团体成立登记", "青川市行政审批服务局", "C-SP", "住所（经营场所）使用证明"),
    ("SP-2", "食品经营许可（新办）", "青川市行政审批服务局", "C-SP", "营业执照"),
    ("L-SP-2", "食品经营许可（新办）", "兰山区行政审批服务局", "L-SP", "营业执照"),
    ("SP-3", "一次性创业补贴申领", "青川市行政审批服务局", "C-SP", "营业执照复印件"),
    ("SP-4", "食品经营许可（延续）", "青川市行政审批服务局", "C-SP", "营业执照复印件"),
    ("YB-1", "城乡居民医疗保险参保登记", "青川市医疗保障局", "C-YB", "居民户口簿"),
    ("YB-2", "新生儿参保登记", "青川市医疗保障局", "C-YB", "出生医学证明"),
    ("RS-1", "养老保险待遇领取资格认证", "青川市社会保险中心", "C-RS", "生存状况证明"),
    ("SF-1", "法律援助申请", "青川市司法局", "C-SF", "家庭经济状况证明"),
    ("MZ-1", "最低生活保障申请", "青川市民政局", "C-MZ", "居民户口簿"),
    ("GJJ-2", "住房公积金提取（最低生活保障家庭）", "青川市住房公积金中心", "C-GJJ", "居民户口簿"),
    ("GA-5", "户口迁移（夫妻投靠）", "青川市公安局", "C-GA", "房屋租赁登记备案证明"),
    ("JY-3", "进城务工人员随迁子女义务教育入学", "青川市教育局", "C-JY", "房屋租赁登记备案证明"),
    ("JY-1", "小学一年级新生入学登记", "青川市教育局", "C-JY", "不动产权证书"),
    ("L-JY-1", "小学一年级新生入学登记", "兰山区教育和体育局", "L-JY", "不动产权证书"),
    ("ZR-1", "存量房转移登记（二手房买卖）", "青川市自然资源局", "C-ZR", "居民户口簿"),
    ("RS-5", "高校毕业生租房补贴申领", "青川市人社局", "C-RS", "学历证书"),
    ("ZJ-2", "公共租赁住房租赁补贴申请", "青川市住建局", "C-ZJ", "居民户口簿"),
    ("GJJ-6", "住房公积金提取（职工死亡）", "青川市住房公积金中心", "C-GJJ", "火化证明"),
    ("GJJ-7", "住房公积金提取（出境定居）", "青川市住房公积金中心", "C-GJJ", "火化证明"),
    (
        "GJJ-8",
        "住房公积金提取（与单位终止劳动关系）",
        "青川市住房公积金中心",
        "C-GJJ",
        "解除或终止劳动合同证明",
    ),
    ("BDC-2", "不动产转移登记（继承）", "青川市不动产登记中心", "C-BDC", "亲属关系证明"),
    ("RS-7", "工伤认定申请", "青川市人社局", "C-RS", "居民身份证"),
    ("L-MZ-8", "高龄津贴申领", "兰山区民政局", "L-MZ", "实际居住证明"),
    ("SP-9", "有限责任公司注销登记", "青川市行政审批服务局", "C-SP", "清税证明"),
    ("SP-10", "有限责任公司设立登记", "青川市行政审批服务局", "C-SP", "验资报告"),
    ("SP-11", "有限责任公司变更登记", "青川市行政审批服务局", "C-SP", "验资报告"),
    ("ZR-6", "不动产权证书遗失补证", "青川市自然资源局", "C-ZR", "遗失声明（登报）"),
    ("SP-12", "个体工商户设立登记", "青川市行政审批服务局", "C-SP", "村（居）委会证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [
        IndexedEntry(code, service, unit, uc, cert, A, "依据") for code, service, unit, uc, cert in ROWS
    ]
    return GuidanceIndex(entries, builtin_lexicon(), UNITS)


def test_an_english_document_name_no_glossary_phrase_has_is_built_from_its_words() -> None:
    assert "经营场所证明" in (
        to_chinese("To set up an association, must we show proof of the premises?") or ""
    )
    assert "无房证明" in (
        to_chinese("Do I have to show a proof that I own no house for the rent subsidy?") or ""
    )
    assert "社会保险缴费证明" in (
        to_chinese("Is my social insurance contribution record still needed?") or ""
    )


def test_a_head_noun_after_a_known_document_name_adds_nothing_but_a_copy_is_a_copy() -> None:
    assert "诊断证明证明" not in (to_chinese("Do I need a hospital diagnosis certificate for dibao?") or "")
    assert "营业执照复印件" in (
        to_chinese("For the start-up subsidy, is a copy of my business licence needed?") or ""
    )


def test_a_proof_the_glossary_cannot_name_gets_the_english_not_understood_reply_never_a_guess(
    index: GuidanceIndex,
) -> None:
    assert to_chinese("To withdraw my housing fund for rent, do I need the zorblat certificate?") is None
    result = answer(index, "To withdraw my housing fund for rent, do I need the zorblat certificate?")
    assert (result.language, result.intent, result.matches) == ("en", Intent.UNKNOWN, [])


def test_a_composed_english_proof_is_answered_with_the_catalogues_own_name(index: GuidanceIndex) -> None:
    assert verdict(
        index, "We are registering a social organization. Do we need proof of business premises?"
    ) == (
        "pair",
        "SP-1",
        "住所（经营场所）使用证明",
        True,
    )


def test_english_word_forms_stem_alike_so_moving_finds_the_phrase_for_move() -> None:
    assert stem("moving") == stem("move") and stem("licences") == stem("licence")
    assert "户口迁移" in (
        to_chinese("Moving my hukou to my wife's city: do I need my marriage certificate?") or ""
    )


def test_a_pinyin_place_is_the_registers_place_before_a_namesake_elsewhere(index: GuidanceIndex) -> None:
    # 兰山区 (covered) and 岚山区 (another city) are both "Lanshan"
    result = answer(index, "Opening a new restaurant in Lanshan District: do I need my business licence?")
    assert result.intent != Intent.OUT_OF_AREA
    assert result.service is not None and result.service.code == "L-SP-2"


def test_a_licence_renewed_because_it_expires_is_not_the_renewal_of_a_damaged_one(
    index: GuidanceIndex,
) -> None:
    assert "expiry" in classes_of("驾照到期了换证") and "damage" in classes_of("驾照损坏了换证")
    assert verdict(index, "驾照到期换证还要体检证明吗")[1:] == ("GA-1", "机动车驾驶人身体条件证明", True)


def test_a_no_housing_proof_is_the_property_register_query_a_list_names_instead(index: GuidanceIndex) -> None:
    assert verdict(index, "租房提取公积金还要无房证明吗")[1:] == ("GJJ-1", "不动产登记查询结果证明", True)


def test_taiwan_and_hong_kong_words_for_documents_become_the_words_a_mainland_list_uses(
    index: GuidanceIndex,
) -> None:
    assert canonical("營業執照影本、身分證、戶口名簿") == "营业执照复印件、身份证、户口簿"
    assert verdict(index, "食品經營許可證延續，營業執照影本還要交嗎？")[1:] == (
        "SP-4",
        "营业执照复印件",
        True,
    )


def test_a_just_born_baby_is_a_newborn_so_the_newborns_service_answers(index: GuidanceIndex) -> None:
    assert verdict(index, "給剛出生的寶寶辦醫保，要交出生證嗎？")[1:] == ("YB-2", "出生医学证明", True)


def test_a_proof_described_as_being_alive_is_the_life_proof(index: GuidanceIndex) -> None:
    assert verdict(index, "养老金资格认证还要开活着的证明吗")[1:] == ("RS-1", "生存状况证明", True)


def test_a_hardship_proof_is_the_family_economic_situation_proof_a_list_names(index: GuidanceIndex) -> None:
    assert verdict(index, "申请法律援助还要经济困难证明吗")[1:] == ("SF-1", "家庭经济状况证明", True)


def test_the_same_words_matched_are_no_tie_between_two_procedures(index: GuidanceIndex) -> None:
    # 低保 is applying for the allowance, not the fund withdrawal for allowance families
    assert verdict(index, "办低保还要户口本吗") == ("pair", "MZ-1", "居民户口簿", True)


def test_migrant_workers_children_at_school_are_not_a_hukou_move(index: GuidanceIndex) -> None:
    assert verdict(index, "随迁子女入学还要租房备案证明吗")[1:] == ("JY-3", "房屋租赁登记备案证明", True)


def test_the_short_names_people_give_the_pension_check_find_it(index: GuidanceIndex) -> None:
    assert verdict(index, "养老认证 活着证明?")[1:] == ("RS-1", "生存状况证明", True)


STORY = (
    "我们一家去年搬过来，买了套二手房，过户的时候跑了好几趟，孩子今年九月该上一年级了。我对象说报名得把房本"
    "拿去，可房本在银行押着。就想问问现在给孩子报小学，房本还必须交吗？"
)


def test_a_story_whose_last_sentence_asks_a_whole_question_is_answered_by_that_sentence(
    index: GuidanceIndex,
) -> None:
    # the flat bought (二手房, 过户) is context; the question is the primary-school enrolment
    assert verdict(index, STORY)[1:] == ("JY-1", "不动产权证书", True)


def test_a_last_sentence_that_refers_back_to_the_story_does_not_stand_alone(index: GuidanceIndex) -> None:
    story = (
        "我是今年刚毕业的研究生，毕业就回来上班了。单位说市里对高校毕业生有租房补贴，我现在租的房子离单位挺近。"
        "问一下申请这个租房补贴，毕业证必须交吗？"
    )
    assert verdict(index, story)[1] == "RS-5"


def test_a_street_named_in_a_question_is_answered_by_its_districts_listing(index: GuidanceIndex) -> None:
    assert verdict(index, "在柳青街道给孩子报小学，房本还要交吗？")[1:] == ("L-JY-1", "不动产权证书", True)


def test_a_relative_who_went_died_so_the_deaths_service_answers(index: GuidanceIndex) -> None:
    story = "父亲上个月在医院走了，丧事刚办完。他名下公积金里还有点钱，我们想取出来。请问火化证明还要交吗？"
    assert verdict(index, story)[1:] == ("GJJ-6", "火化证明", True)


def test_a_death_in_a_story_about_an_inheritance_is_its_context(index: GuidanceIndex) -> None:
    story = "去年我妈走了，留下一套老房子，我们商量好了给我，去不动产中心办继承，到底还要亲属关系证明吗？"
    assert verdict(index, story)[1:] == ("BDC-2", "亲属关系证明", True)


def test_leaving_a_job_in_a_persons_words_is_the_withdrawal_when_the_employment_ended(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "我辞职了想把公积金取出来，还要离职证明吗")[1:2] == ("GJJ-8",)


def test_a_labour_relation_proof_is_never_matched_to_a_kinship_proof_by_likeness(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "申请工伤认定还要劳动关系证明吗")[2:] == ("劳动关系证明", False)


def test_an_english_licence_that_expires_is_renewed_because_of_its_date() -> None:
    assert "到期" in (to_chinese("My driving licence expired. Is the medical examination form needed?") or "")


def test_a_street_written_right_after_its_covered_district_is_inside_it(index: GuidanceIndex) -> None:
    # 清溪街道 is in no register or gazetteer; written after 兰山区 it is that district's street
    assert verdict(index, "在兰山区清溪街道申请高龄津贴，居住证明还要开吗？")[:2] == ("pair", "L-MZ-8")
    assert answer(index, "在清溪街道申请高龄津贴，居住证明还要开吗？").intent == Intent.OUT_OF_AREA


def test_a_bare_tax_clearance_in_a_terse_question_is_the_listed_clearance_proof(index: GuidanceIndex) -> None:
    assert verdict(index, "公司注销 清税?")[1:] == ("SP-9", "清税证明", True)


def test_registering_a_company_is_setting_one_up_not_changing_or_closing_it(index: GuidanceIndex) -> None:
    assert verdict(index, "注册有限公司还要眼资报告吗")[1:] == ("SP-10", "验资报告", True)


def test_a_notice_in_the_newspaper_said_in_full_is_the_listed_loss_notice(index: GuidanceIndex) -> None:
    assert verdict(index, "不动铲证遗失补证还要登抱纸声明么")[1:] == ("ZR-6", "遗失声明（登报）", True)


def test_an_association_said_short_is_the_social_organisation_and_a_lease_proves_its_premises(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "社团登记 租房合同?")[1:] == ("SP-1", "住所（经营场所）使用证明", True)


def test_older_and_everyday_names_of_common_services_find_them(index: GuidanceIndex) -> None:
    # 开业登记 (the older official word for setting up), 交房租 (renting)
    assert verdict(index, "個體工商戶開業登記，哪些證明免了？")[:2] == ("service", "SP-12")
    assert verdict(index, "用公积金交房租，还要开无房证明吗？")[1:] == (
        "GJJ-1",
        "不动产登记查询结果证明",
        True,
    )


def test_the_proof_right_after_skip_or_before_exempt_is_the_one_asked_about() -> None:
    asked = to_chinese(
        "Can I skip the marriage certificate, or the hukou booklet, when I register the birth?"
    )
    assert asked is not None and asked.endswith("结婚证吗")
    assert (
        to_chinese("Is the hukou booklet exempt, or the ID card, for the residence permit?") or ""
    ).endswith("户口本吗")


def test_doubled_consonants_before_ing_and_ed_stem_like_the_word() -> None:
    assert stem("cancelling") == stem("cancelled") == stem("cancel") and stem("getting") == stem("get")
    assert "户口注销" in (to_chinese("Cancelling his hukou: do we need the cremation certificate?") or "")


def test_an_english_death_is_said_as_a_citizen_would_so_it_is_context_for_the_deaths_services(
    index: GuidanceIndex,
) -> None:
    question = "My father passed away. To withdraw his housing fund, do we need the cremation certificate?"
    assert (to_chinese(question) or "").startswith("老人走了，")
    assert verdict(index, question)[1:] == ("GJJ-6", "火化证明", True)


def test_taiwan_words_for_withdrawing_applying_and_contracts_become_the_mainland_words() -> None:
    assert (
        canonical("公積金提領、退休金請領、房屋租賃契約、殘障手冊")
        == "公积金提取、退休金申领、房屋租赁合同、残疾人证"
    )


def test_a_proof_asked_about_in_a_word_nobody_knows_is_never_answered_with_the_services_list(
    index: GuidanceIndex,
) -> None:
    assert to_chinese("Is the blorpslip still needed for the rent withdrawal of my housing fund?") is None
    assert to_chinese("Do I need my blorpslip for the rent withdrawal of my housing fund?") is None
    result = answer(index, "Do I need my blorpslip for the rent withdrawal of my housing fund?")
    assert (result.language, result.intent, result.matches) == ("en", Intent.UNKNOWN, [])
    # a list question and a proof named after a possessive are not affected
    assert to_chinese("Which documents can I skip when withdrawing my housing fund for rent?") is not None
    assert "死亡证明" in (to_chinese("Do I need my father's death certificate for his housing fund?") or "")


def test_plurals_in_ies_stem_like_their_singular() -> None:
    assert stem("copies") == stem("copy") and stem("subsidies") == stem("subsidy")
    assert "身份证复印件" in (
        to_chinese("Are copies of the ID card still required for the residence permit?") or ""
    )


def test_who_issues_a_letter_names_it_and_a_question_for_what_proofs_is_a_list() -> None:
    assert "村委会证明" in (to_chinese("Do I need a letter from the village committee for dibao?") or "")
    assert (
        to_chinese("What proofs are no longer needed to apply for a disability certificate?") or ""
    ).endswith("哪些材料不用带")


def test_hong_kong_words_for_payslips_deeds_and_mortgages_become_the_mainland_words() -> None:
    assert canonical("糧單、樓契、按揭、二手樓") == "工资证明、房产证、贷款、二手房"
