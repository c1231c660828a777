"""Report charts as PNG (matplotlib, Agg backend): complaints per unit, on-time rate per unit, weekly
trend. Chinese labels need a CJK font: we look for one explicitly (WenQuanYi Micro Hei from
`scripts/system-deps.sh`, then Noto/Source Han/other common CJK fonts), register it with matplotlib's
font manager and put it first in the sans-serif list; without one the labels would be boxes, so we
log a clear warning naming the package to install.

matplotlib is imported on the first chart, not with this module (it costs about a second to import)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
FONT_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)


@lru_cache(maxsize=1)
def _pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend (no display), imported once, when the first chart is drawn."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Register a CJK font and return its family name (None: none found, labels will not render)."""
    import matplotlib
    from matplotlib import font_manager

    _pyplot()
    candidates = [os.environ.get("NOCERT_CJK_FONT", ""), *FONT_FILES]
    family: str | None
    for path in candidates:
        if path and Path(path).is_file():
            font_manager.fontManager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            break
    else:
        installed = {font.name for font in font_manager.fontManager.ttflist}
        family = next((name for name in FONT_FAMILIES if name in installed), None)
    if family is None:
        log.warning(
            "No CJK font found: Chinese chart labels will not render. Install fonts-wqy-microhei "
            "(scripts/system-deps.sh) or set NOCERT_CJK_FONT to a .ttf/.ttc/.otf file."
        )
        return None
    matplotlib.rcParams["font.sans-serif"] = [family, *FONT_FAMILIES, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def _subplots(**kwargs: Any) -> tuple[Figure, Any]:
    figure, axes = _pyplot().subplots(**kwargs)
    return figure, axes


def _finish(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    _pyplot().close(figure)
    return path


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    path: Path,
    *,
    title: str,
    xlabel: str,
    percent: bool = False,
) -> Path:
    """Horizontal bars (unit names are long), largest on top, values written at the bar ends."""
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    cjk_font()
    height = max(3.0, 0.45 * len(labels) + 1.5)
    figure, axes = _subplots(figsize=(9, height))
    positions = list(range(len(labels)))
    colours = ["#c0392b" if percent and value < 0.8 else "#2e86c1" for value in values]
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, labels=list(labels))
    axes.invert_yaxis()
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    if percent:
        axes.set_xlim(0, 1.1)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlim(0, max([*values, 1]) * 1.12)
    for position, value in zip(positions, values, strict=True):
        text = f"{value * 100:.0f}%" if percent else f"{value:g}"
        axes.text(value, position, f" {text}", va="center")
    if not labels:
        axes.text(0.5, 0.5, "—", ha="center", va="center", transform=axes.transAxes)
    axes.grid(axis="x", alpha=0.3)
    return _finish(figure, path)


def trend_chart(weeks: Sequence[tuple[date, int]], path: Path, *, title: str, ylabel: str) -> Path:
    from matplotlib.ticker import MaxNLocator

    cjk_font()
    figure, axes = _subplots(figsize=(9, 4))
    labels = [week.strftime("%m-%d") for week, _ in weeks]
    values = [count for _, count in weeks]
    axes.plot(labels, values, marker="o", color="#2e86c1")
    for label, value in zip(labels, values, strict=True):
        axes.annotate(str(value), (label, value), textcoords="offset points", xytext=(0, 6), ha="center")
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0, top=max([*values, 1]) * 1.25)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    return _finish(figure, path)
