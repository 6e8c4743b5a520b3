import datetime

from celery import shared_task

from .services import notices


@shared_task
def notify_case_changes(case_id, since=None, events=()):
    """Queued when a change of the case commits: tell what happened and what the case now waits
    for (``applications.services.notices``). Returns the number of notifications made."""
    since = datetime.datetime.fromisoformat(since) if since else None
    return len(notices.notify_case_changes(case_id, since=since, events=list(events)))


@shared_task
def notify_waits_of_open_cases():
    """Beat-scheduled every morning: tell the waits that came with the date."""
    return notices.notify_open_waits()
