"""Shared helpers for the inline SVG charts drawn on the server (the fund page, the calculation
page and the dashboard): no JavaScript, no CDN. Every chart carries a <title> and <desc>, direct
labels on its marks, and the page shows the same figures as a table (WCAG 1.1.1, 1.4.1)."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe

AXIS, GRID = "#333333", "#d0d7de"


def nice_ceiling(value):
    """A round top for an axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    base = Decimal(10) ** exponent
    for step in (1, 2, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def short_kronor(value):
    """An axis or bar label: 1,5 mnkr, 250 tkr, 80 kr."""
    value = float(value)
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}".replace(".", ",") + " mnkr"
    if abs(value) >= 1_000:
        return f"{value / 1_000:.0f}" + " tkr"
    return f"{value:.0f} kr"


@dataclass(frozen=True)
class BarSeries:
    """One series of a bar chart: its name, fill and an optional hatch so that the series differ
    in more than colour."""

    label: str
    colour: str
    hatched: bool = False


def bar_chart(rows, series, *, chart_id, title, desc, value_label=str):
    """Horizontal bars, one group per row: ``rows`` are (label, [value per series]) with values
    of Decimal or int. Each bar is labelled at its end with its value (and with its series' name
    where there are several), so the chart reads without colour. Returns safe SVG markup."""
    row_gap, bar_h, label_w, right, top = 12, 20, 190, 150, 8
    width = 720
    group_h = bar_h * len(series) + row_gap
    height = top * 2 + group_h * max(len(rows), 1)
    largest = max([Decimal(0), *(Decimal(v) for _label, values in rows for v in values)])
    scale_top = float(largest) or 1.0
    plot_w = width - label_w - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" width="100%" '
        f'style="max-width: {width}px">',
        f'<title id="{chart_id}-title">{escape(str(title))}</title>'
        f'<desc id="{chart_id}-desc">{escape(str(desc))}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#5b2a86" stroke-width="3"/></pattern></defs>',
        f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{height - top}" stroke="{AXIS}"/>',
    ]
    for index, (label, values) in enumerate(rows):
        y0 = top + index * group_h
        text = str(label) if len(str(label)) <= 30 else str(label)[:29] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + bar_h * len(series) / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{AXIS}">{escape(text)}</text>'
        )
        for position, (one, value) in enumerate(zip(series, values, strict=True)):
            y = y0 + position * bar_h
            bar_w = max(float(value), 0) / scale_top * plot_w
            fill = f"url(#{chart_id}-hatch)" if one.hatched else one.colour
            parts.append(
                f'<rect x="{label_w}" y="{y + 2}" width="{bar_w:.1f}" height="{bar_h - 4}" fill="{fill}" '
                f'stroke="{one.colour}" stroke-width="1"/>'
            )
            caption = value_label(value)
            if len(series) > 1:
                caption = f"{one.label}: {caption}"
            parts.append(
                f'<text x="{label_w + bar_w + 6:.1f}" y="{y + bar_h / 2 + 4:.1f}" font-size="11" '
                f'fill="{AXIS}">{escape(caption)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text inside is escaped above
