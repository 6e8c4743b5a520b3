"""Dates the guidelines set, computed rather than typed in."""

import datetime
from calendar import monthrange


def add_months(date, months):
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, monthrange(year, month)[1]))


def feedback_due(received, months=1, days=0, excluded_months=()):
    """The day by which the applicant must have an answer: ``months`` (and ``days``) after
    receipt, where days in ``excluded_months`` (e.g. Ale's June and July) do not count.

    Received 2026-05-20 with one month, June–July excluded: 11 days of May count, the summer
    does not, so the answer is due 2026-08-20.
    """
    to_count = (add_months(received, months) - received).days + days
    day = received
    while to_count > 0:
        day += datetime.timedelta(days=1)
        if day.month not in excluded_months:
            to_count -= 1
    return day


def half_time(start, end):
    """The midpoint of a project (Norrköping's half-time follow-up)."""
    return start + (end - start) / 2


def whole_months(start, end):
    """Whole months from start to end inclusive of the end day: 2026-03-01 → 2028-02-29 is 24."""
    one_day = datetime.timedelta(days=1)
    months = max((end.year - start.year) * 12 + (end.month - start.month) - 1, 0)
    while add_months(start, months + 1) - one_day <= end:
        months += 1
    return months
