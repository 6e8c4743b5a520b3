from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.charts import BarSeries, bar_chart, short_kronor
from core.formatting import format_kronor
from core.permissions import permission_required
from funds.chart import fund_chart, series_values
from funds.selectors import default_year
from municipalities.models import Municipality

from . import feeds, services
from .calendar import by_month, calendar_entries, calendar_range
from .forms import DashboardFilterForm
from .models import CalendarFeed

APPROPRIATION = BarSeries(gettext_lazy("anslag"), "#5b2a86", hatched=True)
COMMITTED = BarSeries(gettext_lazy("beviljat"), "#8a3b12")
PAID = BarSeries(gettext_lazy("utbetalt"), "#14532d")
COUNT = BarSeries(gettext_lazy("antal"), "#0b4f6c")


def _count(value):
    return str(value)


def _charts(board):
    """The dashboard's bar charts as SVG: each with a title, a description and direct labels."""
    charts = {}
    if board.commitments:
        series = [APPROPRIATION, COMMITTED, PAID] if board.policy.uses_yearly_appropriation else [COMMITTED, PAID]
        rows = [
            (
                str(y.year),
                [y.appropriated, y.committed, y.paid] if len(series) == 3 else [y.committed, y.paid],
            )
            for y in board.commitments
        ]
        charts["commitments"] = bar_chart(
            rows,
            series,
            chart_id="commitments-chart",
            title=_("Beviljat och utbetalt per år mot årets anslag"),
            desc=_("Stapeldiagram, en grupp per år. Samma belopp finns i tabellen under diagrammet."),
            value_label=short_kronor,
        )
    charts["funnel"] = bar_chart(
        [(label, [count]) for _key, label, count in board.funnel],
        [COUNT],
        chart_id="funnel-chart",
        title=_("Ärenden per skede"),
        desc=_("Stapeldiagram: antal ärenden i varje skede just nu, %(total)s ärenden totalt.")
        % {"total": sum(count for _key, _label, count in board.funnel)},
        value_label=_count,
    )
    if board.overdue_count:
        charts["overdue"] = bar_chart(
            [(label, [count]) for label, count in board.overdue_bands],
            [COUNT],
            chart_id="overdue-chart",
            title=_("Försenade rapporter efter hur sent de är"),
            desc=_("Stapeldiagram: %(n)s rapporter är försenade.") % {"n": board.overdue_count},
            value_label=_count,
        )
    if board.project_count:
        charts["sizes"] = bar_chart(
            [(label, [count]) for label, count in board.sizes],
            [COUNT],
            chart_id="sizes-chart",
            title=_("Projektens storlek"),
            desc=_("Stapeldiagram: antal projekt per storleksklass, efter sökt belopp totalt."),
            value_label=_count,
        )
    if board.outcomes:
        charts["horizons"] = bar_chart(
            [(label, [count]) for label, count in board.horizons],
            [COUNT],
            chart_id="horizons-chart",
            title=_("Kalkylernas tidshorisont"),
            desc=_("Stapeldiagram: antal projekt per tidshorisont i projektets senaste kalkyl."),
            value_label=_count,
        )
    return charts


def _municipality(request, requested):
    """The municipality the page shows: always the user's own for municipal staff (another slug is
    a 404, as if it did not exist); a system admin picks one with ?kommun=."""
    user = request.user
    if user.has_perm("municipalities.view_all") and not requested:
        return None
    slug = requested or (user.municipality.slug if user.municipality else "")
    return get_object_or_404(Municipality.objects.visible_to(user), slug=slug)


@login_required
@permission_required(
    "dashboards.view_dashboard", message=gettext_lazy("Översikten är till för kommunens medarbetare i fondens arbete.")
)
def dashboard(request):
    """The controller's overview of the fund and the projects of one municipality."""
    form = DashboardFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboards/bad_filter.html", {"form": form}, status=400)
    municipality = _municipality(request, form.cleaned_data["kommun"])
    if municipality is None:
        return render(
            request, "dashboards/pick_municipality.html", {"municipalities": Municipality.objects.order_by("name")}
        )
    year = form.cleaned_data["ar"] or default_year()
    board = services.dashboard(request.user, municipality, year)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "board": board,
            "form": form,
            "charts": _charts(board),
            "chart": fund_chart(board.points),
            "points": [(day, series_values(b)) for day, b in board.points],
            "available_in_year": format_kronor(board.balances.available_in(year, board.policy))
            if board.balances
            else "",
        },
    )


# ---- The deadline calendar and its feed ----------------------------------------------------------
# The address made by a renewal is shown once, on the page the renewal leads back to.
FEED_URL_SESSION_KEY = "calendar_feed_url"


@login_required
def calendar(request):
    """Mina datum: the dates that concern the user, by month, and their calendar feed."""
    user = request.user
    entries = calendar_entries(user)
    first, last = calendar_range(timezone.localdate())
    return render(
        request,
        "dashboards/calendar.html",
        {
            "months": by_month(entries),
            "first": first,
            "last": last,
            "feed_url": request.session.pop(FEED_URL_SESSION_KEY, ""),
            "has_feed": CalendarFeed.objects.filter(user=user).exists(),
            "feed_history": feeds.feed_history(user),
        },
    )


@login_required
@require_POST
def renew_calendar_feed(request):
    """Make the user's feed address, or a new one in place of the old (which stops working)."""
    if request.user.municipality_id is None:
        raise Http404
    renewing = CalendarFeed.objects.filter(user=request.user).exists()
    secret = feeds.renew_feed(request.user)
    request.session[FEED_URL_SESSION_KEY] = request.build_absolute_uri(reverse("calendar:feed", args=[secret]))
    if renewing:
        messages.success(request, _("Den nya adressen visas nedan. Den gamla adressen fungerar inte längre."))
    else:
        messages.success(request, _("Prenumerationsadressen är skapad och visas nedan."))
    return redirect("calendar:calendar")


def calendar_feed(request, secret):
    """The iCal feed: no login (a calendar program cannot log in), the secret address is the key.
    An unknown or renewed-away address is "not found", as if it had never been."""
    user = feeds.feed_owner(secret)
    if user is None or user.municipality_id is None:
        raise Http404
    body = feeds.feed_ics(user, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fonden-kalender.ics"'
    # The feed is one person's: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response
