"""Abstract models the apps build on: a job run off the request with its progress."""

from django.conf import settings
from django.db import models

from .enums import RUNNABLE_JOB_STATUSES, JobStatus


class BackgroundJob(models.Model):
    """Work run off the request by a Celery task, with its status and progress (``done`` of
    ``total`` steps) for the page that follows it. The task writes the row by ``update()`` on its
    primary key, so progress never overwrites what the concrete job holds (its file, its documents).
    """

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def may_run(self):
        """Whether a task should run the job (a task delivered twice finds it running or done)."""
        return self.status in RUNNABLE_JOB_STATUSES

    def _update(self, **fields):
        type(self).objects.filter(pk=self.pk).update(**fields)

    def mark_running(self, **fields):
        """Started (again): progress from zero, no error; ``fields`` e.g. the ``total`` found."""
        self._update(status=JobStatus.RUNNING, done=0, error="", **fields)

    def record_progress(self, done):
        self._update(done=done)

    def mark_failed(self, error):
        self._update(status=JobStatus.FAILED, error=str(error))

    def mark_done(self, **fields):
        """Finished; ``fields`` are what the job produced (its file, the final count)."""
        self._update(status=JobStatus.DONE, **fields)

