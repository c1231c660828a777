"""bench/guidance_eval.py scores a set as the importer stores it: a writer's lower-case codes and full-width
brackets in a mode wording must not turn right answers into misses (or refuse the import)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("guidance_eval", ROOT / "bench" / "guidance_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_unit_written_in_lower_case_is_routed_right_when_the_register_stores_it_in_capitals() -> None:
    complaint = {
        "class": "plain",
        "expect": {"unit": "gz.gaj", "admissible": True, "grounds": [], "category": "demanded_proof"},
    }
    result = {"admissible": True, "grounds": [], "category": "demanded_proof", "unit": {"code": "GZ.GAJ"}}
    rows = _bench().score_complaints([complaint], [result], [])
    assert rows["plain"]["routing"] == 1


def test_another_unit_is_still_a_routing_miss() -> None:
    complaint = {
        "class": "plain",
        "expect": {"unit": "gz.gaj", "admissible": True, "grounds": [], "category": "demanded_proof"},
    }
    result = {"admissible": True, "grounds": [], "category": "demanded_proof", "unit": {"code": "GZ.MZ"}}
    rows = _bench().score_complaints([complaint], [result], [])
    assert rows["plain"]["routing"] == 0


def test_a_service_code_written_in_lower_case_matches_the_stored_code() -> None:
    question = {"intent": "service", "service_code": "360700-ga-001"}
    assert _bench().is_right(question, {"intent": "service", "service": {"code": "360700-GA-001"}})
    assert not _bench().is_right(question, {"intent": "service", "service": {"code": "360700-GA-002"}})


def test_a_mode_wording_with_full_width_brackets_is_found_in_the_refusal(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(
        "service_code,service,unit,certificate,mode,basis,notes\n"
        "X-1,办事,某局,居民户口簿,村（居）委会代核,,\n",
        encoding="utf-8",
    )
    refusal = "第 2 行：未知的免提交方式：村(居)委会代核；最接近的已知写法是 部门核验。"
    assert list(_bench().refused_wordings(catalogue, refusal)) == ["村（居）委会代核"]
    assert _bench().refused_wordings(catalogue, "第 2 行：未知的单位：某局") == {}
