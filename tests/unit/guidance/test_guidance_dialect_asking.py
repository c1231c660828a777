"""How people outside the north ask "what" and name a paper (issue 8, session 8): 啥子/么子/么个 ask which
proofs as 什么 does, 单子 is a paper as 材料 is, and 二婚/再婚 is a marriage registration — on a made-up city
(青柳市) no evaluation set uses."""

from __future__ import annotations

import pytest

from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

UNITS = [
    RegisterUnit("Q", "青柳市人民政府"),
    RegisterUnit("Q-RS", "青柳市人力资源和社会保障局", "Q"),
    RegisterUnit("Q-CG", "青柳市公安局交通警察支队车辆管理所", "Q"),
    RegisterUnit("Q-MZ", "青柳市婚姻登记处", "Q"),
]
ROWS = [
    ("RS-1", "工伤认定申请", "Q-RS", "劳动关系证明"),
    ("RS-2", "失业保险金申领", "Q-RS", "解除劳动合同证明"),
    ("CG-1", "机动车检验合格标志核发", "Q-CG", "机动车交通事故责任强制保险凭证"),
    ("CG-2", "机动车注册登记", "Q-CG", "机动车来历证明"),
    ("MZ-1", "内地居民结婚登记", "Q-MZ", "离婚证"),
    ("MZ-2", "内地居民离婚登记", "Q-MZ", "结婚证"),
]


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return register_index(ROWS, UNITS)


@pytest.mark.parametrize(
    "question",
    ["工伤认定现在免交啥子证明", "工伤认定能少交么子材料", "工伤认定免交么个证明"],
)
def test_a_dialect_what_asks_which_proofs_and_names_none(index, question):  # type: ignore[no-untyped-def]
    assert verdict(index, question) == ("service", "RS-1", None)


def test_single_sheets_asked_about_are_the_services_papers(index):  # type: ignore[no-untyped-def]
    assert verdict(index, "去车管所年检能免哪些单子") == ("service", "CG-1", None)


@pytest.mark.parametrize("question", ["二婚要离婚证吗", "再婚还要带离婚证吗"])
def test_a_second_marriage_is_a_marriage_registration(index, question):  # type: ignore[no-untyped-def]
    assert verdict(index, question) == ("pair", "MZ-1", True)
