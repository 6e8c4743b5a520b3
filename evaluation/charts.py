"""Charts as inline SVG rendered on the server: no JavaScript library, no CDN, the same markup on
the page and in the PDF. Each chart carries a title and description; the page shows the same
numbers as a table beside it (WCAG 1.1.1)."""

from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.charts import AXIS, GRID, short_kronor
from core.formatting import format_kronor

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 90, 16, 16, 34
POSITIVE, NEGATIVE = "#1a6b3c", "#a3261b"


def _scale(low, high, size, start):
    span = (high - low) or 1.0

    def place(value):
        return start + (float(value) - low) / span * size

    return place


def cumulative_chart(years, cumulative, *, chart_id="cumulative"):
    """A line of the cumulative discounted net flow per year, with the zero line marked."""
    values = [float(v) for v in cumulative]
    low, high = min([0.0, *values]), max([0.0, *values])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y_of = _scale(high, low, plot_h, TOP)  # higher values are higher up
    step = plot_w / max(len(values) - 1, 1)
    points = [(LEFT + index * step, y_of(value)) for index, value in enumerate(values)]
    title = _("Kumulativt diskonterat nettoflöde per år")
    desc = _("Från %(first)s till %(last)s; slutvärde %(end)s.") % {
        "first": years[0] if years else "",
        "last": years[-1] if years else "",
        "end": format_kronor(cumulative[-1]) if cumulative else "",
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" width="100%">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for tick in sorted({low, 0.0, high}):
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{AXIS}">'
            f"{escape(short_kronor(tick))}</text>"
        )
    zero = y_of(0.0)
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="{AXIS}"/>')
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#0b4f6c" stroke-width="2.5"/>')
    for (x, y), value in zip(points, values, strict=True):
        colour = POSITIVE if value >= 0 else NEGATIVE
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
    for index, year in enumerate(years):
        if len(years) <= 12 or index % 2 == 0:
            x = LEFT + index * step
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" fill="{AXIS}">{year}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text inside is escaped above


def tornado_chart(bars, npv, *, chart_id="tornado"):
    """Horizontal bars from the NPV at each input's pessimistic value to its optimistic one."""
    row_h = 26
    label_w = 220
    height = TOP + BOTTOM + row_h * max(len(bars), 1)
    numbers = [float(npv)] + [float(v) for bar in bars for v in (bar.low, bar.high)]
    low, high = min([0.0, *numbers]), max([0.0, *numbers])
    plot_w = WIDTH - label_w - RIGHT
    x_of = _scale(low, high, plot_w, label_w)
    title = _("Känslighet: nettonuvärdet när en indata i taget ändras")
    desc = _(
        "Staplarna går från det pessimistiska till det optimistiska värdet; linjen är kalkylens nettonuvärde %(npv)s."
    ) % {"npv": format_kronor(npv)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" width="100%">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * row_h
        a, b = sorted((x_of(bar.low), x_of(bar.high)))
        label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="11" '
            f'fill="{AXIS}">{escape(label)}</text>'
        )
        colour = NEGATIVE if min(bar.low, bar.high) < 0 else POSITIVE
        parts.append(
            f'<rect x="{a:.1f}" y="{y + 5}" width="{max(b - a, 1.5):.1f}" height="{row_h - 10}" fill="{colour}" '
            f'fill-opacity="0.75"/>'
        )
    centre = x_of(float(npv))
    zero = x_of(0.0)
    bottom = height - BOTTOM
    parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{TOP}" y2="{bottom}" stroke="{AXIS}"/>')
    parts.append(
        f'<line x1="{centre:.1f}" x2="{centre:.1f}" y1="{TOP}" y2="{bottom}" stroke="#0b4f6c" '
        f'stroke-dasharray="4 3" stroke-width="2"/>'
    )
    # The highest value's label ends at the right edge rather than running past it.
    for tick, anchor in ((low, "middle"), (high, "end")):
        parts.append(
            f'<text x="{x_of(tick):.1f}" y="{height - 12}" text-anchor="{anchor}" font-size="11" fill="{AXIS}">'
            f"{escape(short_kronor(tick))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text inside is escaped above
