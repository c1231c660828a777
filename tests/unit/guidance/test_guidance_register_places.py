"""Which units belong to a place below the city, read from unit names as registers write them."""

from __future__ import annotations

from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit

UNITS = [
    RegisterUnit("C", "临河市人民政府"),
    RegisterUnit("C-ZJ", "临河市住房和城乡建设局", "C"),
    RegisterUnit("C-ZB", "临河市“无证明城市”建设专班办公室", "C"),
    RegisterUnit("C-GA", "临河市公安局", "C"),
    RegisterUnit("D", "临河市东湖区人民政府", "C"),
    RegisterUnit("D-GA", "临河市公安局东湖分局", "C-GA"),
    RegisterUnit("D-GA-1", "临河市公安局东湖分局湖滨派出所", "D-GA"),
    RegisterUnit("D-MZ", "临河市东湖区民政局", "D"),
]


def test_a_city_bureau_whose_name_ends_a_word_in_a_place_suffix_is_the_citys() -> None:
    scope = PlaceScope.build(UNITS)
    assert {"C-ZJ", "C-ZB", "C-GA"}.isdisjoint(scope.local_units)  # 城乡 and 城市 are no places
    assert "住房和城乡" not in scope.covered


def test_a_bureaus_branch_named_after_a_district_belongs_to_that_district() -> None:
    scope = PlaceScope.build(UNITS)
    assert {"D-GA", "D-GA-1"} <= scope.scope_of("东湖区")
    assert not any(place.startswith("公安局") for place in scope.covered)


def test_a_police_stations_area_is_a_place_of_its_branchs_district() -> None:
    scope = PlaceScope.build(UNITS)
    assert "D-MZ" in scope.scope_of("湖滨街道")  # (湖滨派出所 of the 东湖 branch: 湖滨 is in 东湖区)
    assert scope.named("在湖滨街道办低保要户口本吗") == [("湖滨", True)]


def test_where_a_death_happened_is_the_place_but_not_where_a_thing_is_kept() -> None:
    scope = PlaceScope.build(UNITS)
    assert scope.named("我婆婆上个月在东湖老家去世了，殡葬费用减免要什么") == [("东湖", True)]
    assert scope.named("结婚证放在东湖老家了，过户还要吗") == []  # (where one comes from, or keeps things)


def test_a_county_level_city_under_its_province_is_a_place_outside() -> None:
    scope = PlaceScope.build(UNITS)
    assert scope.named("在仙桃市办护照要户口本吗") == [("仙桃市", False)]


def test_a_travel_documents_destination_is_not_where_it_is_asked() -> None:
    scope = PlaceScope.build(UNITS)
    assert scope.named("办去台湾的通行证要户口本吗") == []  # (a destination: unknown, not out of area)


def test_a_centres_branch_named_after_a_district_belongs_to_that_district() -> None:
    units = [
        *UNITS,
        RegisterUnit("C-GJJ", "临河市住房公积金管理中心", "C"),
        RegisterUnit("D-GJJ", "临河市住房公积金管理中心东湖管理部", "C-GJJ"),
    ]
    scope = PlaceScope.build(units)
    assert "D-GJJ" in scope.scope_of("东湖区")  # (so 东湖's own listing is answered for "在东湖…")
    assert "C-GJJ" not in scope.local_units
