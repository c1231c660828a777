"""English and traditional wordings of people who never saw the lexicon (issue 8, session 7), by mechanism.

A made-up city (白鹭市, with the district 临溪区) worded unlike any evaluation set: each test is a kind of
wording — a glossary gap, an English grammar pattern, a Taiwan word, a word that says who or what for — and
the answer is the service and proof meant.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, answer
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.reading.english import to_chinese
from nocert_core.textnorm import canonical
from tests.unit.guidance.made_up import register_index
from tests.unit.guidance.made_up import verdict_naming_proof as verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("B", "白鹭市人民政府"),
    *(
        RegisterUnit(code, f"白鹭市{name}", "B")
        for code, name in [
            ("B-YB", "医疗保障局"),
            ("B-MZ", "民政局"),
            ("B-GJ", "住房公积金管理中心"),
            ("B-GA", "公安局"),
            ("B-CL", "残疾人联合会"),
            ("B-BDC", "不动产登记中心"),
            ("B-SP", "行政审批服务局"),
            ("B-CG", "公安局车辆管理所"),
            ("B-TY", "退役军人事务局"),
            ("B-SB", "社会保险事业中心"),
            ("B-SJ", "市场监督管理局"),
            ("B-JT", "交通运输局"),
            ("B-JY", "教育局"),
            ("B-ZJ", "住房和城乡建设局"),
            ("B-SW", "税务局"),
        ]
    ),
    RegisterUnit("D", "白鹭市临溪区人民政府", "B"),
    RegisterUnit("D-MZ", "白鹭市临溪区民政局", "D"),
]
ROWS = [
    ("YB-1", "城乡居民基本医疗保险参保登记", "B-YB", "居民户口簿"),
    ("YB-2", "新生儿参加居民医保", "B-YB", "出生医学证明"),
    ("MZ-1", "80周岁以上老年人高龄津贴申领", "B-MZ", "生存状况证明"),
    ("D-MZ-1", "80周岁以上老年人高龄津贴申领", "D-MZ", "居民户口簿"),
    ("MZ-2", "城市居民最低生活保障审核确认", "B-MZ", "居民户口簿"),
    ("MZ-3", "农村居民最低生活保障审核确认", "B-MZ", "居民户口簿"),
    ("GJ-1", "住房公积金个人住房贷款", "B-GJ", "个人收入证明"),
    ("GJ-2", "购买自住住房提取住房公积金", "B-GJ", "结婚证"),
    ("GA-1", "父母投靠子女迁入户口", "B-GA", "亲属关系证明"),
    ("GA-2", "子女投靠父母迁入户口", "B-GA", "亲属关系证明"),
    ("CL-1", "残疾儿童康复救助", "B-CL", "出生医学证明"),
    ("CL-2", "残疾人辅助器具适配补贴", "B-CL", "残疾人证"),
    ("CL-3", "重度残疾人护理补贴", "B-CL", "残疾人证"),
    ("BDC-1", "继承转移登记", "B-BDC", "公证书"),
    ("BDC-2", "抵押权注销登记", "B-BDC", "营业执照"),
    ("BDC-3", "房屋买卖转移登记", "B-BDC", "结婚证"),
    ("BDC-4", "房屋赠与转移登记", "B-BDC", "结婚证"),
    ("SP-1", "食品经营许可（新办）", "B-SP", "营业执照"),
    ("SP-2", "食品经营许可（延续）", "B-SP", "营业执照"),
    ("SP-3", "食品经营许可（注销）", "B-SP", "营业执照"),
    ("GA-3", "死亡注销户口", "B-GA", "居民死亡医学证明书"),
    ("GA-4", "机动车注销登记", "B-CG", "居民死亡医学证明书"),
    ("MZ-4", "临时救助申请", "B-MZ", "最低生活保障证"),
    ("GJ-3", "租赁住房提取住房公积金", "B-GJ", "住房情况证明"),
    ("CG-1", "机动车转移登记", "B-CG", "车辆购置税完税证明"),
    ("CG-2", "机动车驾驶证有效期满换证", "B-CG", "机动车驾驶人身体条件证明"),
    ("CG-3", "机动车驾驶证损毁换证", "B-CG", "机动车驾驶人身体条件证明"),
    ("TY-1", "退役军人优待证申领", "B-TY", "退伍证"),
    ("TY-2", "退役军人信息采集", "B-TY", "退伍证"),
    ("SB-1", "社会保险待遇领取资格认证", "B-SB", "生存状况证明"),
    ("SB-2", "城乡居民基本养老保险待遇申领", "B-SB", "居民户口簿"),
    ("SJ-1", "个体工商户设立登记", "B-SJ", "不动产权证书"),
    ("JT-1", "网络预约出租汽车驾驶员证核发", "B-JT", "无吸毒记录证明"),
    ("JY-1", "小学一年级新生入学登记", "B-JY", "居住证"),
    ("ZJ-1", "房屋租赁登记备案", "B-ZJ", "居住证"),
    ("SW-1", "个人购买住房契税优惠申报", "B-SW", "住房情况证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


@pytest.mark.parametrize(
    ("question", "service", "certificate"),
    [
        (
            "For the assistive device subsidy for disabled people, do I need my disability card?",
            "CL-2",
            "残疾人证",
        ),
        (
            "Transferring ownership of my car: is the vehicle purchase tax certificate still needed?",
            "CG-1",
            None,
        ),
        (
            "I'm selling my flat. For the transfer registration, do we need our marriage certificate?",
            "BDC-3",
            None,
        ),
        (
            "Veteran preferential treatment card - do I need to bring my discharge certificate?",
            "TY-1",
            "退伍证",
        ),
        ("Annual pension eligibility check: do I need a proof-of-life certificate?", "SB-1", "生存状况证明"),
        ("Registering a getihu - do I need the property deed for the shop?", "SJ-1", "不动产权证书"),
        ("Ride-hailing driver permit: do I need a no-drug-record certificate?", "JT-1", "无吸毒记录证明"),
        (
            "Deed tax discount on buying a home: do I need a housing status certificate?",
            "SW-1",
            "住房情况证明",
        ),
        (
            "My driving licence expires soon. For the renewal, do I need a physical fitness certificate?",
            "CG-2",
            "机动车驾驶人身体条件证明",
        ),
    ],
)
def test_english_names_of_common_services_and_proofs_are_in_the_glossary(
    index: GuidanceIndex, question: str, service: str, certificate: str | None
) -> None:
    intent, code, named, exempt = verdict(index, question)
    assert (intent, code, exempt) == ("pair", service, True)
    assert certificate is None or named == certificate


def test_urban_and_rural_tell_the_two_kinds_of_a_benefit_apart(index: GuidanceIndex) -> None:
    urban = answer(index, "What documents can I skip when applying for the urban minimum living allowance?")
    assert (urban.intent.value, urban.service and urban.service.code) == ("service", "MZ-2")
    assert verdict(index, "Applying for rural dibao - do I still need my hukou booklet?")[:2] == (
        "pair",
        "MZ-3",
    )


def test_what_was_done_in_an_after_clause_is_what_happened_not_the_service(index: GuidanceIndex) -> None:
    question = (
        "Cancelling a mortgage registration after paying off the loan: do I need the bank's business licence?"
    )
    assert to_chinese(question) == "贷款，办注销抵押登记还要带营业执照吗"
    assert verdict(index, question)[:2] == ("pair", "BDC-2")


def test_enrolling_in_insurance_is_joining_it_not_school(index: GuidanceIndex) -> None:
    question = (
        "We just had a baby. Enrolling her in residents' medical insurance, do we need the birth certificate?"
    )
    assert "入学" not in (to_chinese(question) or "")
    assert verdict(index, question) == ("pair", "YB-2", "出生医学证明", True)


def test_a_first_grade_enrolment_is_the_service_and_renting_is_context(index: GuidanceIndex) -> None:
    question = "Enrolling my kid in Grade 1. We rent and we're not locals. Do we need the residence permit?"
    assert verdict(index, question)[:2] == ("pair", "JY-1")


def test_taiwan_words_for_documents_and_relatives_are_normalised() -> None:
    assert canonical("營業登記證") == "营业执照"
    assert canonical("我阿嬤") == "我奶奶"
    assert canonical("請領失業給付") == "申领失业保险金"
    assert canonical("申請法律扶助") == "申请法律援助"  # (Taiwan: legal aid)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a proof's other names (在世證明, 薪資證明) resolve to the catalogue's own
        ("我阿嬤八十五歲住臨溪，申請高齡津貼還要交在世證明嗎？", ("pair", "D-MZ-1", "生存状况证明", False)),
        ("用公積金貸款買房，薪資證明要公司蓋章嗎？", ("pair", "GJ-1", "个人收入证明", True)),
        ("公積金貸款買房，要附薪資單嗎？", ("pair", "GJ-1", "个人收入证明", True)),
        # who (爸媽, 小朋友) is not a word naming the service
        ("爸媽要來投靠子女遷戶籍，親屬關係證明還要另外去開嗎？", ("pair", "GA-1", "亲属关系证明", True)),
        ("小朋友申請殘疾兒童康復救助，出生證明要提供嗎？", ("pair", "CL-1", "出生医学证明", True)),
        # "still have to go to the notary and get X": X is the proof asked about, not a service applied for
        ("房子繼承過戶，還要去公證處辦公證書嗎？", ("pair", "BDC-1", "公证书", True)),
        # 新開 is a first application
        ("新開一家小吃店要辦食品經營許可，營業執照還要附影本嗎？", ("pair", "SP-1", "营业执照", True)),
        # a service's whole name typed as the catalogue writes it is that service
        (
            "寶寶剛出生，要辦新生兒參加居民醫保，出生證明還需要繳交嗎？",
            ("pair", "YB-2", "出生医学证明", True),
        ),
    ],
)
def test_traditional_questions_are_answered_for_the_service_meant(
    index: GuidanceIndex, question: str, expected: tuple[str, str, str, bool]
) -> None:
    assert verdict(index, question) == expected


def test_a_list_asked_for_only_what_is_done_to_an_unknown_thing_is_not_guessed(index: GuidanceIndex) -> None:
    # "register a zorblat": only 登记 is known — never a clarify between any two registrations
    assert to_chinese("What can I skip when I register a zorblat?") is None
    result = answer(index, "What do I not need to bring when I register a sole proprietorship?")
    assert (result.intent.value, result.service and result.service.code) == ("service", "SJ-1")


@pytest.mark.parametrize(
    "question",
    [
        "Do I need my hukou booklet to get a dog licence?",  # a kind of licence no entry knows
        "Do I need the birth certificate to apply for the childcare subsidy?",  # …or of subsidy
        "Do I need a marriage certificate to adopt a cat?",  # what for, in words no entry knows
        "Do I need proof of income to apply for the low-income housing?",
        "Do I need my old ID card to replace it?",  # done to a thing not mapped: never the card's own list
    ],
)
def test_english_naming_a_service_in_words_no_entry_knows_is_not_answered_for_another(question: str) -> None:
    assert to_chinese(question) is None


def test_a_taiwan_city_in_wade_giles_is_out_of_area(index: GuidanceIndex) -> None:
    question = "My mother lives in Taipei. Does she need her hukou booklet to renew her ID card?"
    assert answer(index, question).intent.value == "out_of_area"


def test_who_died_between_an_action_and_its_licence_is_no_gap(index: GuidanceIndex) -> None:
    question = "Is the death certificate required to cancel my late father's hukou?"
    assert verdict(index, question)[:2] == ("pair", "GA-3")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # who applies (a snack shop) before 申请 + the service's name is not a kind of the service
        ("新開一家小吃店申請食品經營許可，營業執照還要附影本嗎？", ("pair", "SP-1", "营业执照", True)),
        ("申請臨時救助，低收入戶證明要再附上嗎？", ("pair", "MZ-4", "最低生活保障证", True)),
        ("租屋提領公積金，要附無自有住宅證明嗎", ("pair", "GJ-3", "住房情况证明", True)),
    ],
)
def test_taiwan_names_of_proofs_and_the_applicant_before_the_service(
    index: GuidanceIndex, question: str, expected: tuple[str, str, str, bool]
) -> None:
    assert verdict(index, question) == expected
