"""Charts for reports, drawn offline with matplotlib (PNG for DOCX and PDF)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


@cache
def _setup() -> str | None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            name = font_manager.FontProperties(fname=path).get_name()
            matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    return None


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    horizontal: bool = False,
) -> bytes:
    """Grouped bars, one group per label and one colour per series; PNG bytes."""
    _setup()
    from matplotlib.figure import Figure

    figure = Figure(
        figsize=(7.2, 3.4 if not horizontal else 0.9 + 0.32 * max(len(labels), 3)), dpi=150
    )
    axes = figure.subplots()
    count = max(len(series), 1)
    width = 0.8 / count
    colours = ("#2b6cb0", "#a0aec0", "#dd6b20", "#38a169")
    positions = range(len(labels))
    for index, (name, values) in enumerate(series):
        offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
        if horizontal:
            axes.barh(offsets, values, height=width, label=name, color=colours[index % 4])
        else:
            axes.bar(offsets, values, width=width, label=name, color=colours[index % 4])
    if horizontal:
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
    else:
        axes.set_xticks(list(positions), labels)
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
