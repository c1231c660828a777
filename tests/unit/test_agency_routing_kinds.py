"""Routing an agency name by what the register says (issue 8, session 6): a name only one unit carries and
whose kind of office no branch shares is that unit; a name the register gives to several units is asked —
a made-up city, worded unlike any evaluation set."""

from __future__ import annotations

from nocert_core.domain.units import Unit
from nocert_core.services.resolver import resolve_agency
from nocert_core.services.screening import screen_text
from tests.unit.test_screening_rules import UNITS as WEIFANG

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
