"""Report charts render Chinese labels with a real CJK font, not boxes."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from nocert_core.adapters.files.charts import bar_chart, cjk_font


def test_a_chart_with_chinese_labels_renders_every_glyph(tmp_path: Path) -> None:
    if cjk_font() is None:
        if os.environ.get("CI"):
            pytest.fail(
                "no CJK font installed: `make setup` (scripts/system-deps.sh) should have installed one"
            )
        pytest.skip("no CJK font on this machine: run scripts/system-deps.sh as root (fonts-wqy-microhei)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = bar_chart(
            ["潍坊市公安局交通警察支队车辆管理所", "奎文区行政审批服务局"],
            [3, 1],
            tmp_path / "units.png",
            title="各单位投诉数量",
            xlabel="件数",
        )
    missing = [str(warning.message) for warning in caught if "missing from" in str(warning.message)]
    assert not missing, missing[:3]
    assert path.stat().st_size > 5000
