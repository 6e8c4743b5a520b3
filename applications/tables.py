"""The case list's table (django-tables2): sortable columns and pages of ``PER_PAGE`` rows. Only the
rows of the page shown are read from the database, and only for them is it computed whom the case
waits for, so a page costs the same whatever the number of cases."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.formatting import format_kronor

from . import selectors
from .enums import CaseState
from .models import Case

PER_PAGE = 25
DEFAULT_SORT = "-updated"
# The lifecycle's order, so that sorting by status follows a case's life rather than the alphabet.
STATE_ORDER = models.Case(
    *[models.When(state=state, then=models.Value(index)) for index, state in enumerate(CaseState.values)],
    output_field=models.IntegerField(),
)


class AmountColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs={"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}, **kwargs)

    def render(self, value):
        return format_kronor(value)


class CaseTable(tables.Table):
    """The columns; every sortable column sorts by the case's id as well, so pages never overlap."""

    number = tables.Column(verbose_name=_("Diarienummer"), order_by=("number", "id"), empty_values=("",))
    title = tables.Column(
        verbose_name=_("Insats"), linkify=("applications:detail", [tables.A("pk")]), order_by=("title", "id")
    )
    unit = tables.Column(
        verbose_name=_("Sökande enhet"), accessor="applicant_unit__name", order_by=("applicant_unit__name", "id")
    )
    state = tables.Column(verbose_name=_("Status"))
    asked = AmountColumn(verbose_name=_("Sökt"))
    granted = AmountColumn(verbose_name=_("Beviljat"))
    waiting = tables.Column(verbose_name=_("Väntar på dig"), accessor="pk", orderable=False)
    updated = tables.DateColumn(
        verbose_name=_("Senast ändrat"), accessor="updated_at", short=True, order_by=("updated_at", "id")
    )

    class Meta:
        model = Case
        fields = []
        template_name = "applications/_case_list_table.html"
        attrs = {"class": "table table-hover align-middle case-list-table", "aria-labelledby": "result-heading"}
        empty_text = _("Inga ärenden matchar filtret.")
        default = "–"

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user

    def render_state(self, record):
        return render_to_string("applications/_state_badge.html", {"case": record})

    def render_waiting(self, record):
        # Computed for the page's rows only, from what cases_listed prefetched.
        reasons = selectors.waiting_on_user(record, self.user)
        return format_html_join("", "<div>{}</div>", ((reason,) for reason in reasons)) if reasons else "–"

    def order_state(self, queryset, is_descending):
        order = "-state_order" if is_descending else "state_order"
        return queryset.annotate(state_order=STATE_ORDER).order_by(order, "id"), True

    def _order_amount(self, queryset, name, is_descending):
        # A case granted nothing has no amount: last whichever way the column is sorted.
        column = models.F(name).desc(nulls_last=True) if is_descending else models.F(name).asc(nulls_last=True)
        return queryset.order_by(column, "id"), True

    def order_asked(self, queryset, is_descending):
        return self._order_amount(queryset, "asked", is_descending)

    def order_granted(self, queryset, is_descending):
        return self._order_amount(queryset, "granted", is_descending)


def case_table(cases, user, query):
    """The table of ``cases`` sorted and paged as the query string asks: an unknown column is
    not sorted by, a page number that is no number shows the first page, one past the end the
    last. The page size is fixed (no query parameter can ask for every row at once)."""
    table = CaseTable(cases, user=user)
    table.order_by = query.getlist(table.order_by_field)
    if not table.order_by:  # none asked for, or none that is a sortable column
        table.order_by = DEFAULT_SORT
    try:
        table.paginate(page=query.get(table.page_field, 1), per_page=PER_PAGE)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table
