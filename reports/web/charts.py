"""Charts drawn on the server as SVG markup: no script, no library, nothing fetched by the page."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 260, 48, 170, 16, 40
COLOURS = ("#c0392b", "#e67e22", "#2e86c1", "#27ae60", "#8e44ad", "#7f8c8d", "#d4ac0d", "#16a085")


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 25_000, 50_000,
                 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000):
        if value <= step * 4:
            return step * 4
    return value


def line_chart(title: str, labels: list[str], series: dict[str, list[int]], chart_id: str) -> Markup:
    """A line chart of counts over scans (one line per series, a legend on the right)."""
    top = _nice_max(max((v for values in series.values() for v in values), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return TOP + plot_h - plot_h * v / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">',
             f"<title>{escape(title)}</title>"]
    for k in range(5):
        value = top * k // 4
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#555">{value:,}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#555">{escape(label)}</text>')
    for s, (name, values) in enumerate(series.items()):
        colour = COLOURS[s % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<g class="series" data-series="{escape(name)}">')
        if len(values) > 1:
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}">'
                         f"<title>{escape(name)}: {v:,}</title></circle>")
        parts.append("</g>")
        ly = TOP + 14 + 18 * s
        parts.append(f'<rect x="{WIDTH - RIGHT + 14}" y="{ly - 9}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 32}" y="{ly + 1}" font-size="12" fill="#222">'
                     f"{escape(name[:22])}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
