"""An English agency is routed the same way in every process (Python randomises the order of a set of
strings per process): a place spelled in pinyin that several places share ("Jinzhou": 锦州, 晋州, 金州 and
the register's own 锦洲) is the register's own, and a unit's score does not move in the last digit — a
made-up city, worded unlike any evaluation set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from nocert_core.domain.units import Unit
from nocert_core.services.screening.english import agency_in_chinese

UNITS = [
    Unit("JZ", "锦洲市人民政府", None, ["市政府"]),
    Unit("JZ-SB", "锦洲市社会保险事业中心", "JZ", ["社保中心", "市社保"]),
    Unit("JZ-RS", "锦洲市人力资源和社会保障局", "JZ", ["人社局"]),
    Unit("JZ-GA", "锦洲市公安局", "JZ", ["公安局"]),
    Unit("JZ-CRJ", "锦洲市公安局出入境管理支队", "JZ-GA", ["出入境"]),
    Unit("JZ-WJ", "锦洲市卫生健康委员会", "JZ", ["卫健委"]),
    Unit("HX", "锦洲市河西区人民政府", "JZ", ["河西区政府"]),
    Unit("HX-WJ", "锦洲市河西区卫生健康局", "HX", ["河西卫健局"]),
]
AGENCIES = (
    "Jinzhou Social Insurance Centre",
    "Jinzhou Exit-Entry Administration",
    "Jinzhou Health Commission",
    "Hexi District Health Bureau",
)
ROUTE = """
import json
from nocert_core.services.screening.english import agency_in_chinese
from nocert_core.services.units.resolver import resolve_agency
from tests.unit.screening.test_screening_same_every_run import AGENCIES, UNITS
routes = []
for agency in AGENCIES:
    chinese = agency_in_chinese(agency, UNITS)
    routes.append([chinese, [[c.code, c.score] for c in resolve_agency(UNITS, chinese).candidates]])
print(json.dumps(routes, ensure_ascii=False))
"""
ROOT = Path(__file__).resolve().parents[3]


def _routes_with_hash_seed(seed: int) -> list[Any]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", ROUTE], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    routes: list[Any] = json.loads(done.stdout.splitlines()[-1])
    return routes


def test_a_pinyin_place_several_places_share_is_the_registers_own() -> None:
    assert agency_in_chinese("Jinzhou Social Insurance Centre", UNITS).startswith("锦洲")


def test_english_agencies_are_routed_alike_whatever_the_hash_seed() -> None:
    first, *others = [_routes_with_hash_seed(seed) for seed in (1, 2, 3, 5)]
    assert all(routes == first for routes in others)
    assert all(chinese.startswith(("锦洲", "河西")) for chinese, _ in first)
