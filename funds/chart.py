"""The fund's history as an inline SVG line chart, drawn on the server: no JavaScript, no CDN.
The page shows the same figures as a table for those who cannot see the chart."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.charts import nice_ceiling
from core.formatting import format_kronor

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 110, 16, 16, 40


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    dash: str
    points: str  # the SVG polyline's points


SERIES = [
    ("capital", _("avsatt och återbetalt"), "#0b4f6c", ""),
    ("committed", _("beviljat"), "#8a3b12", "6 3"),
    ("paid", _("utbetalt"), "#14532d", "2 3"),
    ("available", _("tillgängligt"), "#5b2a86", ""),
]


def series_values(balances):
    return {
        "capital": balances.reserved + balances.repaid,
        "committed": balances.committed,
        "paid": balances.paid,
        "available": balances.available,
    }


def fund_chart(points):
    """Geometry for the template: one polyline per series, y ticks with Swedish amounts and the
    first and last dates on the x axis. None when there is nothing to draw."""
    if not points:
        return None
    values = [series_values(balances) for _day, balances in points]
    top = nice_ceiling(max(max(v.values()) for v in values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = points[0][0], points[-1][0]
    span = (last - first).days

    def x(index):
        """Time runs proportionally along the axis."""
        return LEFT + (plot_w * (points[index][0] - first).days / span if span else plot_w / 2)

    def y(value):
        return TOP + plot_h - float(max(value, 0) / top) * plot_h

    series = []
    for key, label, colour, dash in SERIES:
        coords = []
        for index, value in enumerate(values):
            # A step line: money changes on the day of the entry and stays until the next.
            if index:
                coords.append(f"{x(index):.1f},{y(values[index - 1][key]):.1f}")
            coords.append(f"{x(index):.1f},{y(value[key]):.1f}")
        series.append(Series(key, label, colour, dash, " ".join(coords)))
    # Coordinates go to the template as strings: a localised float would be written "220,0".
    ticks = [{"y": f"{y(top * part / 4):.1f}", "label": format_kronor(top * part / 4)} for part in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "series": series,
        "ticks": ticks,
        "first": points[0][0],
        "last": points[-1][0],
        "last_values": values[-1],
    }
