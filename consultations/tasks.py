from celery import shared_task

from .services import remind_deadlines_near


@shared_task
def remind_consultation_deadlines():
    """Beat-scheduled daily: remind those whose consultation answer is due within three days."""
    return remind_deadlines_near()
