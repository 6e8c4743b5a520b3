"""The calendar feed: making and renewing a person's secret address, finding whose address a
request holds, and writing the feed (iCalendar, RFC 5545, with the ``icalendar`` library)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from audit.models import AuditEntry
from audit.services import record

from .calendar import calendar_entries
from .models import CalendarFeed, hash_secret, new_secret

FEED_RENEWED = "calendar.feed_renewed"
# A feed fetched more often than this is not marked used again (Outlook polls every few hours).
USE_MARKED_EVERY = datetime.timedelta(minutes=10)


def renew_feed(user):
    """Make the user's feed address, or a new one in place of the old, which stops working at
    once. Returns the secret (shown once; only its hash is stored). Side effect: the history
    records that the address was made or renewed (not the secret)."""
    secret = new_secret()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        renewed = feed is not None
        if feed is None:
            feed = CalendarFeed(user=user)
        feed.key_hash = hash_secret(secret)
        feed.created_at = timezone.now()
        feed.last_used_at = None
        feed.save()
        record(user, FEED_RENEWED, actor=user, data={"renewed": renewed})
    return secret


def feed_history(user):
    """When the user's feed address was made and renewed, latest first."""
    return list(AuditEntry.objects.for_object(user).filter(action=FEED_RENEWED).order_by("-at", "-id")[:10])


def feed_owner(secret):
    """The active user whose feed address holds ``secret``, or None (an unknown or renewed-away
    secret). Marks the feed used."""
    if not secret:
        return None
    feed = (
        CalendarFeed.objects.select_related("user__municipality")
        .filter(key_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > USE_MARKED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def feed_ics(user, base_url, today=None):
    """The user's calendar as iCalendar bytes, in the user's language: one all-day event per
    date (an application window spans its days). ``base_url`` makes the links absolute."""
    with override(user.language):
        cal = Calendar()
        cal.add("prodid", "-//Fonden//Kalender//SV")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", _("Fonden: %(name)s") % {"name": user.get_full_name() or user.email})
        cal.add("x-wr-timezone", "Europe/Stockholm")
        stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
        for entry in calendar_entries(user, today):
            event = Event()
            event.add("uid", f"{entry.uid}@fonden")
            event.add("dtstamp", stamp)
            event.add("dtstart", entry.date)
            event.add("dtend", (entry.end or entry.date) + datetime.timedelta(days=1))
            summary = f"{entry.kind_label}: {entry.title}"
            if entry.late:
                summary = _("%(summary)s (försenad)") % {"summary": summary}
            event.add("summary", summary)
            description = entry.detail
            if entry.url:
                url = base_url + entry.url
                event.add("url", url)
                description = f"{description}\n{url}".strip()
            if description:
                event.add("description", description)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
        return cal.to_ical()
