"""Routing an agency name by what the register says (issue 8, session 6): a name only one unit carries and
whose kind of office no branch shares is that unit; a name the register gives to several units is asked —
a made-up city, worded unlike any evaluation set."""

from __future__ import annotations

import pytest

from nocert_core.domain.units import Unit
from nocert_core.services.screening.advice import screen_text
from nocert_core.services.screening.english import agency_in_chinese
from nocert_core.services.units.resolver import resolve_agency
from tests.unit.screening.demo_register import UNITS as WEIFANG

UNITS = [
    Unit("QL", "青岚市人民政府", None, ["市政府"]),
    Unit("QL-GJJ", "青岚市住房公积金管理中心", "QL", ["公积金中心", "市公积金"]),
    Unit("QL-GJJ-BC", "青岚市住房公积金管理中心北川管理部", "QL-GJJ", ["北川公积金", "公积金管理部"]),
    Unit("QL-GJJ-ND", "青岚市住房公积金管理中心南渡管理部", "QL-GJJ", ["南渡公积金", "公积金管理部"]),
    Unit("BC", "北川区人民政府", "QL", ["北川区政府"]),
    Unit("ND", "南渡市人民政府", "QL", ["南渡市政府"]),
    Unit("QL-GA", "青岚市公安局", "QL", ["公安局", "市公安局"]),
    Unit("BC-GA", "青岚市公安局北川分局", "QL-GA", ["北川公安分局"]),
    Unit("QL-MZ", "青岚市民政局", "QL", ["市民政局", "青岚民政局"]),
    Unit("ND-MZ", "南渡市民政局", "ND", ["市民政局", "南渡民政局"]),
    Unit("QL-BDC", "青岚市不动产登记中心", "QL", ["不动产中心"]),
    Unit("QL-YB", "青岚市医疗保障局", "QL", ["市医保局"]),
    Unit("QL-YB-FW", "青岚市医疗保障服务中心", "QL-YB", ["医保中心"]),
    Unit("QL-CGS", "青岚市公安局交通警察支队车辆管理所", "QL-GA", ["车管所"]),
    Unit("QL-SB", "青岚市社会保险事业中心", "QL", ["社保中心"]),
    Unit("SZ", "青岚市市中区人民政府", "QL", ["市中区政府"]),
    Unit("SZ-GA", "青岚市公安局市中区分局", "QL-GA", ["市中公安分局"]),
    Unit("BC-MZ", "北川区民政局", "BC", ["北川民政局"]),
    Unit("BC-DH", "北川区东湖街道办事处", "BC", ["东湖街道"]),
    Unit("BC-XH", "北川区西湖街道办事处", "BC", ["西湖街道"]),
    Unit("BC-HK", "北川区河口街道办事处", "BC", ["河口街道"]),
    Unit("ND-CG", "南渡市城关街道办事处", "ND", ["城关街道"]),
    Unit("ND-CX", "南渡市城西街道办事处", "ND", ["城西街道"]),
]


def route(text: str, units: list[Unit] = UNITS) -> tuple[str | None, set[str]]:
    resolution = resolve_agency(units, text)
    return (resolution.unit.code if resolution.unit else None), {c.code for c in resolution.candidates}


def test_a_name_one_unit_carries_and_no_branch_shares_its_kind_routes_to_that_unit() -> None:
    # the county branches are 管理部, never 中心: "公积金中心" can only be the city's centre
    assert route("公积金中心")[0] == "QL-GJJ"


def test_a_units_name_without_the_city_routes_like_its_full_name() -> None:
    assert route("住房公积金管理中心")[0] == "QL-GJJ"


def test_a_generic_alias_whose_kind_a_district_branch_shares_stays_a_question() -> None:
    # 公安局 is the city bureau's alias, but 北川分局 is a 局 too: not the resolver's to guess
    unit, candidates = route("公安局")
    assert unit is None and {"QL-GA", "BC-GA"} <= candidates


def test_a_name_the_register_gives_to_several_units_is_asked_even_when_it_reads_as_the_city() -> None:
    unit, candidates = route("市民政局")  # 南渡 is a county-level 市 too
    assert unit is None and {"QL-MZ", "ND-MZ"} <= candidates


def test_a_shared_name_with_a_place_still_routes_to_the_place() -> None:
    assert route("南渡民政局")[0] == "ND-MZ"


def test_an_english_entry_exit_agency_is_routed_like_exit_entry() -> None:
    result = screen_text(WEIFANG, "Weifang Entry-Exit Administration", "hukou certificate", "", "")
    exit_entry = screen_text(WEIFANG, "Weifang Exit-Entry Administration", "hukou certificate", "", "")
    assert result.unit is not None and result.unit == exit_entry.unit


def test_a_district_named_routes_to_its_own_branch_before_the_city_bureau_above_it() -> None:
    # 市中区 begins with 市, yet "市中公安" names the district, whose branch sits under the city bureau
    assert route("市中公安")[0] == "SZ-GA"


def test_the_one_unit_of_the_named_place_that_fits_is_chosen_even_when_loosely_worded() -> None:
    assert route("北川那个管民政的")[0] == "BC-MZ"


def test_several_units_of_the_named_place_are_offered_before_other_places_units() -> None:
    # the district's streets carry long names and score below another county's short ones
    streets = [
        Unit("BC-DH2", "青岚市北川区东湖新村片区街道办事处", "QL", []),
        Unit("BC-XH2", "青岚市北川区西湖花园片区街道办事处", "QL", []),
        Unit("BC-HK2", "青岚市北川区河口工业园片区街道办事处", "QL", []),
        *(Unit(f"ND-{n}", f"{n}街道办", "ND", []) for n in ("城关", "城西", "南关", "北关", "东关", "西关")),
    ]
    register = [u for u in UNITS if u.code[:3] not in {"BC-", "ND-"}] + streets
    unit, candidates = route("北川区的街道办", register)
    assert unit is None and {"BC-DH2", "BC-XH2", "BC-HK2"} <= candidates


def test_a_marriage_office_without_a_unit_of_its_own_is_the_civil_affairs_bureaus() -> None:
    # no 婚姻登记处 in this register: the word 登记 does not make it the real-estate registration centre
    unit, candidates = route("市婚姻登记处")
    assert unit == "QL-MZ", candidates


def test_of_several_city_units_that_fit_the_one_of_the_kind_of_office_named_is_chosen() -> None:
    assert route("青岚医疗保障局")[0] == "QL-YB"


def test_english_social_insurance_and_agriculture_agencies_are_translated() -> None:
    assert "社会保险" in agency_in_chinese("Qinglan Social Insurance Service Center", UNITS)
    assert "农业农村局" in agency_in_chinese("Agriculture and Rural Affairs Bureau", UNITS)
    assert "人力资源和社会保障局" in agency_in_chinese("District Human Resources Bureau", UNITS)


@pytest.mark.parametrize(("agency", "code"), [("青嵐市監理站", "QL-CGS"), ("青嵐市勞保局", "QL-SB")])
def test_taiwan_names_of_offices_route_to_the_mainland_unit(agency: str, code: str) -> None:
    assert screen_text(UNITS, agency, "戶口名簿", "", "").unit.code == code
