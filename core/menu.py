"""The main menu: each page with the permission its view asks for, so the menu shows a page
exactly when the user may open it. Names only (URL names and permission names), so ``core``
imports no app."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None
    # The page shows the user's municipality: the permission is asked about it, and (with
    # slug_in_url) its URL names it. A user with no municipality (the system admin, who holds every
    # permission) is not offered it.
    of_municipality: bool = False
    slug_in_url: bool = False
    # Shown only to a user with no municipality (the system admin), for whom the page lists them all.
    without_municipality: bool = False
    # The link carries the count of unread notifications.
    counts_unread: bool = False


MENU = [
    MenuItem(_("Mina ärenden"), "start"),
    MenuItem(_("Kalender"), "calendar:calendar"),
    MenuItem(_("Ärenden"), "applications:list"),
    MenuItem(
        _("Regelverk"), "municipalities:ruleset", "municipalities.view_ruleset", of_municipality=True, slug_in_url=True
    ),
    MenuItem(_("Kommuner"), "municipalities:list", without_municipality=True),
    MenuItem(_("Prioritering"), "reviews:priorities", "reviews.view_priorities", of_municipality=True),
    MenuItem(_("Sammanträde"), "decisions:meeting", "decisions.prepare_meeting", of_municipality=True),
    MenuItem(_("Uppföljning"), "reporting:overview", "reporting.view_overview"),
    MenuItem(_("Fondmedel"), "funds:detail", "funds.view_fund", of_municipality=True, slug_in_url=True),
    MenuItem(_("Översikt"), "dashboards:dashboard", "dashboards.view_dashboard"),
    MenuItem(_("Export"), "exports:index", "exports.export"),
    MenuItem(
        _("Enheter och chefer"),
        "municipalities:units",
        "municipalities.administer",
        of_municipality=True,
        slug_in_url=True,
    ),
    MenuItem(_("API-nycklar"), "api:tokens", "api.manage_tokens", of_municipality=True),
    MenuItem(_("Aviseringar"), "notifications:list", counts_unread=True),
    MenuItem(_("Administration"), "admin:index", "accounts.open_django_admin"),
]


def menu_for(user):
    """[(label, url, counts_unread)] of the pages the user may open, in the menu's order."""
    if user is None or not user.is_authenticated:
        return []
    municipality = user.municipality
    shown = []
    for item in MENU:
        if item.without_municipality and municipality is not None:
            continue
        if item.of_municipality and municipality is None:
            continue
        about = (municipality,) if item.of_municipality else ()
        if item.permission and not user.has_perm(item.permission, *about):
            continue
        args = [municipality.slug] if item.slug_in_url else []
        shown.append((item.label, reverse(item.url_name, args=args), item.counts_unread))
    return shown
