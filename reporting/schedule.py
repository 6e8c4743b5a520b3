"""When a running project must report, computed from its rule book's reporting section.

Pure: dates in, dates out, no database. The rules, per obligation ``schedule``:

- ``fixed_dates``: each year's dates (the admin sets them per year; the rule set's "MM-DD"
  defaults apply otherwise), e.g. Ystad's delårsbokslut 2 and årsbokslut. Only dates after the
  start count; dates after the end do not.
- ``yearly``: 31 December of every year the project runs. Heby evaluates "varje år inom ramen för
  årsredovisningen", which closes at year end, so the calendar year rather than the project's
  anniversary is what the guideline points at; Ale's yearly evaluation follows the same rule.
- ``project_year``: the end of every project year, 12 months at a time from the start (Ale:
  "utvärderas en gång per år samt vid avslut"). Where the rule set has an ``end`` obligation, the
  last project year's evaluation is the one at the end: its final report is the only report due
  on the end date.
- ``half_time``: the midpoint of start and end (Norrköping).
- ``end``: the end date, the extension's end if there is one (the caller passes ``case.end_date``).
- ``continuous``: every ``interval_months`` counted from the start. No guideline names a
  frequency ("löpande"), so without ``interval_months`` we ask for a report every 3 months: often
  enough that a steering group can steer, as Sundsvall's text asks, and not more than a quarter
  (the default of ``Obligation.interval_months``).

A periodic schedule (fixed_dates, yearly, continuous) whose last regular date falls before the
end leaves a stub period; it gets a last report at the end, unless the rule set has an ``end``
obligation, whose final report already covers that stub (one report, not two on the same day).
"""

import datetime
from dataclasses import dataclass

from applications.deadlines import add_months, half_time
from municipalities.rulebook.enums import ObligationKind, ReportSchedule

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    kind: str  # an ObligationKind
    period_start: datetime.date
    period_end: datetime.date
    due_date: datetime.date
    receiver_role: str
    name: str = ""  # the rule set's name of a fixed date; other reports are named by their kind

    @property
    def display_name(self):
        return obligation_name(self.kind, self.name)


def obligation_name(kind, fixed_name=""):
    """A report's name: the rule set's name for a fixed date as written, else the label of its
    kind, a lazy string that is translated where it is shown (never stored in one language)."""
    return fixed_name or ObligationKind(kind).label


def report_schedule(reporting, start, end, fixed_dates_by_year=None):
    """Every report the rule book's ``reporting`` section asks of a project running ``start``–``end``
    (inclusive), ordered by due date and then by the order of the rule set's obligations.

    ``fixed_dates_by_year`` maps a year to ``{fixed date name: date}`` as set by the admin; a
    missing year or name falls back to the rule set's default "MM-DD".
    """
    if end < start:
        raise ValueError("A project cannot end before it starts.")
    has_final = reporting.has_schedule(ReportSchedule.END)
    dues = []
    for order, obligation in enumerate(reporting.obligations):
        schedule = obligation.schedule
        if schedule == ReportSchedule.END:
            dues.append((order, _due(obligation, start, end, end)))
        elif schedule == ReportSchedule.HALF_TIME:
            dues.append((order, _due(obligation, start, half_time(start, end), half_time(start, end))))
        else:
            dated = _periodic_dates(obligation, start, end, fixed_dates_by_year or {}, has_final=has_final)
            if not has_final and (not dated or dated[-1][0] < end):
                dated.append((end, ""))
            period_start = start
            for due_date, name in dated:
                dues.append((order, _due(obligation, period_start, due_date, due_date, name)))
                period_start = due_date + ONE_DAY
    dues.sort(key=lambda pair: (pair[1].due_date, pair[0]))
    return [due for _order, due in dues]


def _due(obligation, period_start, period_end, due_date, name=None):
    return Due(
        kind=obligation.kind,
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        receiver_role=obligation.receiver_role,
        name=name or "",
    )


def _periodic_dates(obligation, start, end, fixed_dates_by_year, *, has_final=False):
    """The regular (date, name) pairs of a periodic obligation inside (start, end]."""
    schedule = obligation.schedule
    label = ""  # named by the kind where it is shown
    dates = []
    if schedule == ReportSchedule.FIXED_DATES:
        for year in range(start.year, end.year + 1):
            chosen = fixed_dates_by_year.get(year, {})
            for fixed in obligation.fixed_dates:
                dates.append((chosen.get(fixed.name) or fixed.in_year(year), fixed.name))
    elif schedule == ReportSchedule.YEARLY:
        dates = [(datetime.date(year, 12, 31), label) for year in range(start.year, end.year + 1)]
    elif schedule == ReportSchedule.PROJECT_YEAR:
        step = 1
        while (period_end := add_months(start, 12 * step) - ONE_DAY) <= end:
            dates.append((period_end, label))
            step += 1
        if has_final and dates and dates[-1][0] == end:
            dates.pop()
    elif schedule == ReportSchedule.CONTINUOUS:
        interval = obligation.interval_months
        step = 1
        while (period_end := add_months(start, interval * step) - ONE_DAY) <= end:
            dates.append((period_end, label))
            step += 1
    else:
        raise ValueError(f"Unknown reporting schedule: {schedule}")
    return sorted((date, name) for date, name in dates if start < date <= end)
