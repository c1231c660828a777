"""bench/guidance_eval.py scores a set as the importer stores it: a writer's lower-case codes and full-width
brackets in a mode wording must not turn right answers into misses (or refuse the import)."""

from __future__ import annotations

from pathlib import Path

from bench import guidance_eval


def test_a_unit_written_in_lower_case_is_routed_right_when_the_register_stores_it_in_capitals() -> None:
    complaint = {
        "class": "plain",
        "expect": {"unit": "gz.gaj", "admissible": True, "grounds": [], "category": "demanded_proof"},
    }
    result = {"admissible": True, "grounds": [], "category": "demanded_proof", "unit": {"code": "GZ.GAJ"}}
    rows = guidance_eval.score_complaints([complaint], [result], [])
    assert rows["plain"]["routing"] == 1


def test_another_unit_is_still_a_routing_miss() -> None:
    complaint = {
        "class": "plain",
        "expect": {"unit": "gz.gaj", "admissible": True, "grounds": [], "category": "demanded_proof"},
    }
    result = {"admissible": True, "grounds": [], "category": "demanded_proof", "unit": {"code": "GZ.MZ"}}
    rows = guidance_eval.score_complaints([complaint], [result], [])
    assert rows["plain"]["routing"] == 0


def test_a_service_code_written_in_lower_case_matches_the_stored_code() -> None:
    question = {"intent": "service", "service_code": "360700-ga-001"}
    assert guidance_eval.is_right(question, {"intent": "service", "service": {"code": "360700-GA-001"}})
    assert not guidance_eval.is_right(question, {"intent": "service", "service": {"code": "360700-GA-002"}})


def test_a_mode_wording_with_full_width_brackets_is_found_in_the_refusal(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "service_code,service,unit,certificate,mode,basis,notes\n"
        "X-1,办事,某局,居民户口簿,村（居）委会代核,,\n",
        encoding="utf-8",
    )
    refusal = "第 2 行：未知的免提交方式：村(居)委会代核；最接近的已知写法是 部门核验。"
    assert list(guidance_eval.refused_wordings(catalogue, refusal)) == ["村（居）委会代核"]
    assert guidance_eval.refused_wordings(catalogue, "第 2 行：未知的单位：某局") == {}
