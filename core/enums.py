from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """Where a background job (core.models.BackgroundJob) stands."""

    QUEUED = "queued", _("i kö")
    RUNNING = "running", _("pågår")
    DONE = "done", _("klar")
    FAILED = "failed", _("misslyckades")


# A queued job runs; a failed one may be run again. A running or done one is left alone.
RUNNABLE_JOB_STATUSES = [JobStatus.QUEUED, JobStatus.FAILED]
