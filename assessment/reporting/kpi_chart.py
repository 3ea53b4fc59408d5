"""The trend chart of a register indicator: server-rendered SVG, no style or script inside.

The line joins the periods with a figure; the target is a dashed line; a period off target is a
red square, amber a diamond, on target a round dot, and a period without a figure is an open
marker on the axis with "–". Every text is XML-escaped, so the output can be marked safe. The page
shows the same figures in a data table (the chart is `aria-hidden` apart from its title).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from ..domain.i18n import M_, gettext
from .labels import fmt_value

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#cbd2d9"
LINE = "#1d5a8a"
TARGET = "#b45309"
COLOURS = {"green": "#2f7d32", "amber": "#b7791f", "red": "#b42318", "none": "#616e7c"}

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 20, 56


def trend_svg(points, target: float, unit: str, title: str, lang: str) -> str:
    """The SVG of `points` (services.register.Point: period, value, status)."""
    values = [p.value for p in points if p.value is not None] + [target]
    low, high, tick = _nice_range(min(values), max(values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="kpi-chart" role="img" aria-labelledby="kpi-chart-title">',
        f'<title id="kpi-chart-title">{escape(title)}</title>',
    ]
    for n in range(round((high - low) / tick) + 1):  # grid and axis labels
        v = low + tick * n
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{escape(fmt_value(round(v, 2), lang))}</text>'
        )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" '
        f'y2="{y(target):.1f}" stroke="{TARGET}" stroke-width="2" '
        f'stroke-dasharray="6 4" class="kpi-target"/>'
    )
    label = (
        gettext(lang, M_("target")) + " " + fmt_value(target, lang) + (f" {unit}" if unit else "")
    )
    out.append(
        f'<text x="{WIDTH - RIGHT}" y="{y(target) - 5:.1f}" text-anchor="end" '
        f'font-size="11" fill="{TARGET}">{escape(label)}</text>'
    )
    segment: list[str] = []
    for i, p in enumerate(points):
        if p.value is None:
            if len(segment) > 1:
                out.append(_polyline(segment))
            segment = []
        else:
            segment.append(f"{x(i):.1f},{y(p.value):.1f}")
    if len(segment) > 1:
        out.append(_polyline(segment))
    every = max(1, len(points) // 12)
    for i, p in enumerate(points):
        cx = x(i)
        if i % every == 0 or i == len(points) - 1:
            out.append(
                f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                f'font-size="11" fill="{INK}">{escape(p.period)}</text>'
            )
        out.append(
            _marker(p.status, cx, y(p.value) if p.value is not None else HEIGHT - BOTTOM, p.period)
        )
    out.append("</svg>")
    return "".join(out)


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Axis limits on round numbers (steps of 1, 2 or 5 × 10ⁿ, about five of them) around
    the figures and the target; never below zero when every figure is positive."""
    if high == low:
        high, low = high + 1, low - 1
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    tick = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / tick) * tick
    if low >= 0 > start:
        start = 0.0
    end = math.ceil(high / tick) * tick
    if end == high:
        end += tick
    if start == low and start > 0:
        start -= tick
    return start, end, tick


def _polyline(points: list[str]) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2"/>'


def _marker(status: str, cx: float, cy: float, period: str) -> str:
    colour = COLOURS[status]
    attrs = f'class="kpi-point kpi-{status}" data-period={quoteattr(period)}'
    if status == "red":
        return (
            f'<rect {attrs} x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" '
            f'fill="{colour}"/>'
        )
    if status == "amber":
        return (
            f'<polygon {attrs} points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} '
            f'{cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}" fill="{colour}"/>'
        )
    if status == "none":
        return (
            f'<circle {attrs} cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    return f'<circle {attrs} cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/>'
