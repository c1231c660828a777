"""Which sibling the person means, said in words of what is done (issue 8, session 8): a date passed
(过期) is a renewal; what is said NOT to be done (是换领不是补领) is no word of theirs; "那种" (that kind)
names no kind of service. A made-up city (柳溪市)."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex, answer
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

UNITS = [RegisterUnit("L", "柳溪市人民政府"), RegisterUnit("L-CL", "柳溪市残疾人联合会", "L")]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(
        [
            ("CL-1", "残疾人证首次申领", "L-CL", "居民户口簿"),
            ("CL-2", "残疾人证换领", "L-CL", "居民户口簿"),
            ("CL-3", "残疾人证补领", "L-CL", "居民户口簿"),
            # (other services, so that the words of the disability card are rare ones)
            ("MZ-1", "最低生活保障申请", "L", "收入证明"),
            ("MZ-2", "内地居民结婚登记", "L", "居民户口簿"),
            ("GA-1", "居民身份证换领", "L", "居民户口簿"),
            ("GA-2", "普通护照签发", "L", "居民户口簿"),
            ("RS-1", "社会保障卡申领", "L", "居民身份证"),
        ],
        UNITS,
    )


@pytest.mark.parametrize(
    "question",
    [
        "残疾人证是换领不是补领，户口本还要交吗",
        "残疾人证过期了要换个新的，户口本还要吗",
        "残疾证旧了换新的那种，户口本要交吗",
    ],
)
def test_the_renewal_is_told_from_its_siblings(index: GuidanceIndex, question: str) -> None:
    assert verdict(index, question) == ("pair", "CL-2", True)


def test_a_replacement_said_is_still_the_replacement(index: GuidanceIndex) -> None:
    assert verdict(index, "残疾人证丢了要补领，户口本还要交吗") == ("pair", "CL-3", True)


@pytest.fixture(scope="module")
def closing() -> GuidanceIndex:
    return register_index(
        [
            ("SJ-1", "个体工商户设立登记", "L", "不动产权证书"),
            ("SJ-2", "个体工商户注销登记", "L", "营业执照"),
            ("GJ-1", "与单位终止劳动关系提取住房公积金", "L", "解除劳动合同证明"),
            ("MZ-1", "最低生活保障申请", "L", "收入证明"),
            ("GA-1", "居民身份证换领", "L", "居民户口簿"),
        ],
        UNITS,
    )


def test_a_business_given_up_is_closed_not_a_job_ended(closing: GuidanceIndex) -> None:
    # 不干了 alone is quitting a job (the lexicon's 终止劳动关系); after a business it is closing that
    assert verdict(closing, "个体户不干了要注销，营业执照还要交吗") == ("pair", "SJ-2", True)
    assert verdict(closing, "单位的活不干了，提公积金要解除劳动合同证明吗") == ("pair", "GJ-1", True)


def test_taking_out_the_housing_fund_for_a_flat_bought_is_the_withdrawal_not_the_transfer() -> None:
    # (提公积金: the fund's withdrawal — before, 买二手房's transfer registration won, with its own rule)
    index = register_index(
        [
            ("GJ-1", "购买新建自住住房提取住房公积金", "L", "契税完税证明"),
            ("GJ-2", "购买二手自住住房提取住房公积金", "L", "契税完税证明"),
            ("ZR-1", "国有建设用地使用权及房屋所有权转移登记(买卖)", "L", "契税完税证明"),
            ("ZR-2", "国有建设用地使用权及房屋所有权转移登记(继承)", "L", "居民户口簿"),
            ("GJ-3", "住房公积金异地转移接续", "L", "居民身份证"),
        ],
        UNITS,
    )
    assert verdict(index, "买二手房提公积金，契税完税证明要带吗") == ("pair", "GJ-2", True)


def test_what_a_change_changes_costs_the_change_service_no_confidence() -> None:
    # (经营场所 is what 个体户变更 changes, not a word the registration's name must explain)
    index = register_index(
        [
            ("SJ-1", "个体工商户设立登记", "L", "住所证明"),
            ("SJ-2", "个体工商户变更登记", "L", "住所证明"),
            ("SJ-3", "个体工商户注销登记", "L", "清税证明"),
            ("SP-1", "食品经营许可(新办)", "L", "营业执照"),
            ("SP-2", "食品经营许可(延续)", "L", "营业执照"),
            ("SP-3", "药品经营许可", "L", "营业执照"),
            ("WS-1", "公共场所卫生许可", "L", "营业执照"),
            ("WS-2", "公共场所卫生许可(延续)", "L", "营业执照"),
            ("MZ-1", "最低生活保障申请", "L", "收入证明"),
            ("MZ-2", "内地居民结婚登记", "L", "居民户口簿"),
            ("GA-1", "居民身份证换领", "L", "居民户口簿"),
        ],
        UNITS,
    )
    assert verdict(index, "个体户变更经营场所，还要住所证明吗？") == ("pair", "SJ-2", True)


def test_a_sole_trader_said_short_is_the_sole_traders_registrations() -> None:
    # (个体户 is 个体工商户 as registrations name it: asked about the licence in general, the three are asked)
    index = register_index(
        [
            ("SJ-1", "个体工商户设立登记", "L", "住所证明"),
            ("SJ-2", "个体工商户变更登记", "L", "住所证明"),
            ("SJ-3", "个体工商户注销登记", "L", "清税证明"),
            ("WB-1", "互联网上网服务营业场所经营许可", "L", "营业执照"),
            ("YC-1", "营业性演出许可", "L", "营业执照"),
            ("MZ-1", "最低生活保障申请", "L", "收入证明"),
            ("GA-1", "居民身份证换领", "L", "居民户口簿"),
        ],
        UNITS,
    )
    result = answer(index, "个体户执照的事有哪些证明不用带")
    assert result.intent.value == "clarify"
    assert {c.code for c in result.candidates} == {"SJ-1", "SJ-2", "SJ-3"}
