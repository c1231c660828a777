"""A document that can serve as proofs of different kinds (a rent contract: the proof of a business
address, and the paper behind a rental registration; a driver's physical condition certificate: a medical
check beside a driving licence) is named by its own name where a service does not list it — never as the
other proof its family reaches — and still matches that proof where a service lists it."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict_naming_proof

# A made-up city: 溪山市, with a business licence that takes a rent contract as its address proof.
UNITS = [
    RegisterUnit("C", "溪山市人民政府"),
    RegisterUnit("C-SPJ", "溪山市行政审批服务局", "C"),
    RegisterUnit("C-GJJ", "溪山市住房公积金管理中心", "C"),
    RegisterUnit("C-GA", "溪山市公安局", "C"),
    RegisterUnit("C-WJ", "溪山市卫生健康委员会", "C"),
]
ROWS = [
    ("SP-1", "个体工商户设立登记", "C-SPJ", "住所（经营场所）使用证明"),
    ("SP-1", "个体工商户设立登记", "C-SPJ", "居民身份证"),
    ("GJ-1", "住房公积金提取（租赁住房）", "C-GJJ", "结婚证"),
    ("GA-1", "机动车驾驶证有效期满换证", "C-GA", "机动车驾驶人身体条件证明"),
    ("WJ-1", "护士执业注册", "C-WJ", "居民身份证"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


def test_a_rent_contract_not_listed_for_the_service_is_named_as_a_rent_contract(index: GuidanceIndex) -> None:
    assert verdict_naming_proof(index, "公积金租房提取要租房合同吗") == (
        "pair",
        "GJ-1",
        "房屋租赁合同",  # (not 住所（经营场所）使用证明, a business's proof)
        False,
    )


def test_a_rent_contract_is_still_the_address_proof_a_business_registration_lists(
    index: GuidanceIndex,
) -> None:
    assert verdict_naming_proof(index, "个体工商户设立登记要租房合同吗") == (
        "pair",
        "SP-1",
        "住所（经营场所）使用证明",
        True,
    )


def test_a_medical_check_for_a_nurse_is_not_named_as_a_drivers_physical_condition_certificate(
    index: GuidanceIndex,
) -> None:
    assert verdict_naming_proof(index, "护士执业注册要体检证明吗") == ("pair", "WJ-1", "健康体检证明", False)


def test_a_medical_check_beside_a_driving_licence_is_still_its_physical_condition_certificate(
    index: GuidanceIndex,
) -> None:
    assert verdict_naming_proof(index, "驾驶证有效期满换证要体检证明吗") == (
        "pair",
        "GA-1",
        "机动车驾驶人身体条件证明",
        True,
    )
