"""Abstract models the apps build on: a job run off the request with its progress, and an
uploaded attachment."""

import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import RUNNABLE_JOB_STATUSES, JobStatus
from .uploads import content_type_of


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


def attachment_upload_to(instance, filename):
    return instance.upload_path(filename)


class Attachment(models.Model):
    """A file attached to something (a case, a report, a comment), as it was uploaded: its
    original name, its size and its content type. Checked by ``core.uploads.upload_problem``
    before it is stored; the concrete model says where it is stored (``upload_path``)."""

    file = models.FileField(_("fil"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("filnamn"), max_length=255)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    content_type = models.CharField(max_length=100)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def upload_path(self, filename):
        """The storage path of the file, below MEDIA_ROOT (e.g. by municipality and case)."""
        raise NotImplementedError

    @classmethod
    def create_from_upload(cls, upload, **fields):
        """Store an upload already checked by ``upload_problem``, with the concrete ``fields``."""
        return cls.objects.create(
            file=upload,
            original_name=os.path.basename(upload.name),
            size=upload.size,
            content_type=content_type_of(upload),
            **fields,
        )


class UploadedAttachment(Attachment):
    """An attachment that records who uploaded it and when (a comment's is its author's)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        abstract = True
