"""A real Celery worker, started here, takes the reminder task from the real Redis and runs it
against the test database: the reminder is stored and its e-mail written. Needs PostgreSQL (the
worker is another process and cannot see an in-memory SQLite database) and Redis; CI has both."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.enums import CaseState
from applications.models import Case
from demo.walk import walk_to
from notifications.models import Notification, NotificationKind
from reporting.services import generate_obligations
from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def redis_url():
    url = os.environ.get("REDIS_URL") or os.environ.get("CI_REDIS_URL") or "redis://127.0.0.1:6379/0"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return None
    return url


def database_url():
    db = connection.settings_dict
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def test_real_worker_sends_a_report_reminder_end_to_end(new_case, tmp_path):  # noqa: F811 - the shared fixture
    if connection.vendor != "postgresql":
        pytest.skip("The worker must share the test database: run with DATABASE_URL=postgres://…")
    broker = redis_url()
    if broker is None:
        pytest.skip("Redis does not answer.")
    case, users = new_case("heby")
    case = walk_to(case, CaseState.RUNNING, users)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        period_start=today - datetime.timedelta(days=60), period_end=today + datetime.timedelta(days=300)
    )
    generate_obligations(Case.objects.get(pk=case.pk))
    obligation = case.reporting_obligations.order_by("due_date").first()
    case.reporting_obligations.filter(pk=obligation.pk).update(due_date=today + datetime.timedelta(days=3))
    Notification.objects.all().delete()

    queue = f"fonden-test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    env.pop("CELERY_TEST_BROKER", None)  # in the worker, the e-mail task runs inline after commit
    worker = subprocess.Popen(  # noqa: S603 - our own command line, no outside input
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool=solo", "-l", "info",
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        client = Celery("fonden-test", broker=broker)
        client.send_task("reporting.tasks.send_report_reminders", queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not list(mail_dir.iterdir()):
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)

    assert "reporting.tasks.send_report_reminders" in output
    assert "succeeded" in output
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (users["applicant"], NotificationKind.DEADLINE_NEAR)
    assert notification.emailed_at is not None
    mails = [path.read_text() for path in mail_dir.iterdir()]
    assert len(mails) == 1
    assert f"To: {users['applicant'].email}" in mails[0]
    assert f"{settings.SITE_URL}/arenden/{case.pk}/rapporter/{obligation.pk}/" in mails[0]
