"""Liveness of what the app depends on, for /healthz and monitoring."""

from django.conf import settings
from django.db import connection


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down", reported with its reason
        return {"ok": False, "vendor": connection.vendor, "error": str(error)}
    return {"ok": True, "vendor": connection.vendor}


def broker_status():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process"}
    try:
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as error:  # noqa: BLE001 - any failure means "down", reported with its reason
        return {"ok": False, "mode": "redis", "error": str(error)}
    return {"ok": True, "mode": "redis"}
