"""A step of a service the catalogue lists, which the catalogue has not (issue 8, session 8): "提前还款" of a
provident-fund loan is neither the loan's application nor the withdrawal that repays it. The bot says it
does not know, never the listed service's "not needed". A made-up city (青岚市)."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

UNITS = [
    RegisterUnit("Q", "青岚市人民政府"),
    RegisterUnit("Q-GJJ", "青岚市住房公积金中心", "Q"),
    RegisterUnit("Q-NY", "青岚市农业农村局", "Q"),
    RegisterUnit("Q-YB", "青岚市医疗保障局", "Q"),
    RegisterUnit("Q-RS", "青岚市社会保险中心", "Q"),
]
ROWS = [
    ("GJ-1", "住房公积金个人住房贷款申请", "Q-GJJ", "结婚证"),
    ("GJ-2", "偿还住房贷款本息提取住房公积金", "Q-GJJ", "结婚证"),
    ("NY-1", "渔业船舶登记", "Q-NY", "居民身份证"),
    ("YB-1", "基本医疗保险关系转移接续", "Q-YB", "居民户口簿"),
    ("RS-1", "社会保障卡申领", "Q-RS", "居民身份证"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


@pytest.mark.parametrize(
    "question",
    [
        "公积金贷款想提前还，结婚证要带吗",  # what the person means to do with the loan, after 想
        "公积金贷款打算提前还款，要不要结婚证",
        "公积金贷款提前还款要结婚证吗",  # 还款 is no short form of 偿还…贷款 (both its characters end words)
        "医保账户共济授权给爸妈用，要户口本吗",  # two words no service knows, right after the phrase
        "社保卡金融账户激活，要身份证吗",
    ],
)
def test_a_step_of_a_named_service_that_no_service_has_is_not_the_services_rule(
    index: GuidanceIndex, question: str
) -> None:
    assert verdict(index, question)[0] == "unknown"


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("公积金贷款要结婚证吗", "GJ-1"),
        ("想用公积金贷款，结婚证还要带吗", "GJ-1"),
        ("偿还房贷提取公积金要结婚证吗", "GJ-2"),
        ("渔船登记要身份证吗", "NY-1"),
        ("医保转移接续要户口本吗", "YB-1"),
        ("社保卡申领要身份证吗", "RS-1"),  # (渔 and 船 open the words of 渔业船舶: a short form)
    ],
)
def test_the_service_itself_is_still_answered(index: GuidanceIndex, question: str, code: str) -> None:
    assert verdict(index, question) == ("pair", code, True)


@pytest.fixture(scope="module")
def taxis() -> GuidanceIndex:
    return register_index(
        [
            ("JT-1", "网络预约出租汽车经营许可", "Q-NY", "无犯罪记录证明"),
            ("JT-2", "出租汽车驾驶员从业资格证核发", "Q-NY", "无犯罪记录证明"),
        ],
        UNITS,
    )


def test_a_service_fitting_the_words_naming_it_but_not_the_kind_typed_is_not_answered(
    taxis: GuidanceIndex,
) -> None:
    # 网约车 is the ride-hailing licence's (网络预约), 驾驶员证 the taxi driver's: neither is the ride-hailing
    # driver's certificate asked about, which the catalogue has not
    assert verdict(taxis, "网约车的驾驶员证办理要无犯罪记录证明吗")[0] == "unknown"
    assert verdict(taxis, "出租车司机从业资格证要无犯罪记录证明吗") == ("pair", "JT-2", True)
    assert verdict(taxis, "网约车经营许可要无犯罪记录证明吗") == ("pair", "JT-1", True)


def test_the_fund_withdrawn_for_a_resale_home_is_the_withdrawal_not_the_homes_transfer() -> None:
    # 提公积金 (as 取公积金) is the withdrawal: 买二手房 says what for (session 8 vocabulary)
    index = register_index(
        [
            *ROWS,
            ("GJ-3", "购买二手自住住房提取住房公积金", "Q-GJJ", "契税完税证明"),
            ("BD-1", "存量房买卖转移登记", "Q-NY", "契税完税证明"),
        ],
        UNITS,
    )
    assert verdict(index, "买二手房提公积金，契税完税证明要带吗") == ("pair", "GJ-3", True)
    assert verdict(index, "买二手房过户，契税完税证明要带吗") == ("pair", "BD-1", True)


def test_a_licences_review_the_catalogue_lacks_is_not_the_licence_as_a_proof() -> None:
    # 驾驶证审验 is done to the licence (as 年审 is): not "which services no longer need a driving licence"
    index = register_index(
        [
            *ROWS,
            ("GA-1", "机动车驾驶证初次申领", "Q-NY", "居民身份证"),
            ("GA-2", "机动车转移登记", "Q-NY", "机动车驾驶证"),
        ],
        UNITS,
    )
    assert verdict(index, "驾驶证审验要带啥证明？")[0] == "unknown"
