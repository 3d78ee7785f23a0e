"""Plotly charts as HTML fragments: the figure as JSON, drawn by plotly.js, which is written once beside the pages so they work offline.

The figures are plain dicts: building `plotly.graph_objects` figures and their HTML took ~30 ms a chart, most of a page.
"""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import plotly.io
from plotly.offline import get_plotlyjs

from pipelines.report.data import Figure

PLOTLY_JS = "assets/plotly.min.js"
FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"
COLOURS = ("#2f6db5", "#e0812f", "#3a9a5b", "#b8443f", "#7a5aa6", "#8c6d31", "#4aa3b5")
WAN = Decimal(10000)
CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["toImage"]}
# Clicking a bar or slice opens the picture of where its figure is printed (customdata holds the link).
_OPEN_PROVENANCE_ON_CLICK = (
    "function (plot) { plot.on('plotly_click', function (event) {"
    " var link = event.points[0].customdata; if (Array.isArray(link)) { link = link[0]; }"
    " if (link) { window.location.href = link; } }); }"
)


def format_wan(amount_yuan: Decimal | None) -> str:
    """元 → 万元 with thousands separators and two decimals, as the tables print them; blank when not printed."""
    return "" if amount_yuan is None else f"{amount_yuan / WAN:,.2f}"


def write_plotly_js(report_dir: Path) -> None:
    """The bundled plotly.js next to the pages, rewritten only when the installed plotly changed."""
    target = report_dir / PLOTLY_JS
    script = get_plotlyjs()
    if not target.exists() or target.stat().st_size != len(script.encode()):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(script, encoding="utf-8")


@cache
def _template() -> dict:
    """plotly's default theme, which the python figures applied: the charts keep their look."""
    return plotly.io.templates[plotly.io.templates.default].to_plotly_json()


def _link(figure: Figure) -> str:
    return figure.evidence[0].picture if figure.evidence else ""


def _wan(figure: Figure) -> float:
    return float((figure.amount_yuan or Decimal(0)) / WAN)


def _html(div_id: str, data: list[dict], layout: dict, title: str, height: int) -> str:
    figure = {
        "data": data,
        "layout": {
            **layout, "template": _template(), "title": {"text": title, "font": {"size": 15}}, "height": height,
            "font": {"family": FONT, "size": 12}, "margin": {"l": 10, "r": 30, "t": 50, "b": 40}, "hoverlabel": {"font": {"family": FONT}},
            "separators": ".,", "plot_bgcolor": "#ffffff", "colorway": COLOURS,
        },
        "config": CONFIG,
    }
    # Printed labels go into a <script>: escaped, no "</script>" in them can end it.
    script = json.dumps(figure, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{height}px; width:100%;"></div>'
        f'<script>Plotly.newPlot("{div_id}", {script}).then({_OPEN_PROVENANCE_ON_CLICK});</script>'
    )


def _bar(figures: list[Figure], name: str, orientation: str) -> dict:
    values = [_wan(f) for f in figures]
    labels = [f.label for f in figures]
    return {
        "type": "bar", "name": name, "orientation": orientation,
        "x": values if orientation == "h" else labels, "y": labels if orientation == "h" else values,
        "customdata": [_link(f) for f in figures], "text": [format_wan(f.amount_yuan) for f in figures], "textposition": "auto",
        "hovertemplate": "%{" + ("y" if orientation == "h" else "x") + "}<br>%{text} 万元<extra>" + name + "</extra>",
    }


def _amount_axis() -> dict:
    return {"title": {"text": "万元"}, "tickformat": ",", "gridcolor": "#e5e5e5"}


def bar_chart(div_id: str, title: str, figures: list[Figure]) -> str:
    """Horizontal bars, one per figure, largest on top; amounts in 万元."""
    ordered = sorted(figures, key=lambda f: f.amount_yuan or 0)
    layout = {"xaxis": _amount_axis(), "yaxis": {"automargin": True}}
    return _html(div_id, [_bar(ordered, "万元", "h")], layout, title, 120 + 34 * len(figures))


def grouped_bar_chart(div_id: str, title: str, series: dict[str, list[Figure]], stacked: bool = False) -> str:
    """Vertical bars: one colour per series (a year, or 基本/项目), one group per label."""
    layout = {
        "barmode": "stack" if stacked else "group", "legend": {"orientation": "h", "y": -0.2},
        "yaxis": _amount_axis(), "xaxis": {"automargin": True},
    }
    return _html(div_id, [_bar(figures, name, "v") for name, figures in series.items()], layout, title, 420)


def pie_chart(div_id: str, title: str, figures: list[Figure]) -> str:
    """Shares of a whole, e.g. 基本支出 vs 项目支出."""
    pie = {
        "type": "pie", "labels": [f.label for f in figures], "values": [_wan(f) for f in figures], "customdata": [_link(f) for f in figures],
        "text": [format_wan(f.amount_yuan) for f in figures], "hole": 0.45, "sort": False,
        "texttemplate": "%{label}<br>%{text} 万元<br>%{percent}", "hovertemplate": "%{label}: %{text} 万元<extra></extra>",
    }
    return _html(div_id, [pie], {}, title, 360)
