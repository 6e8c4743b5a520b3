"""A decision meeting's agenda (föredragningslista) in the prioritised order, and its documents
rendered by a Celery task with progress."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import CaseState
from applications.models import Case
from core.pdf import RenderError
from reviews.models import PriorityProposal

from .models import MeetingDocumentsJob
from .services import issue_agenda, issue_application, issue_decision_basis, issue_round_basis


def agenda_cases(user):
    """The user's municipality's cases ready for decision, in the latest proposed priority order
    (cases the proposal does not name follow, oldest submission first)."""
    cases = list(
        Case.objects.visible_to(user)
        .filter(state=CaseState.READY_FOR_DECISION)
        .select_related("applicant_unit", "ruleset_version")
        .prefetch_related("costs")
        .order_by("submitted_at", "id")
    )
    proposal = PriorityProposal.objects.filter(municipality_id=user.municipality_id).first()
    rank = {case_id: index for index, case_id in enumerate(proposal.case_ids if proposal else [])}
    return sorted(cases, key=lambda case: rank.get(case.pk, len(rank)))


@transaction.atomic
def start_meeting_documents(user, meeting_date, *, meeting_time=None, place=""):
    """Queue the rendering of the agenda (with the meeting's time and place) and each case's
    decision basis; returns the job."""
    from .tasks import render_meeting_documents

    cases = agenda_cases(user)
    if not cases:
        raise RenderError(_("Inga ärenden är klara för beslut."))
    job = MeetingDocumentsJob.objects.create(
        municipality_id=user.municipality_id,
        meeting_date=meeting_date,
        meeting_time=meeting_time,
        place=place.strip(),
        case_ids=[case.pk for case in cases],
        total=len(cases) + (2 if cases[0].rules.round_basis else 1),
        created_by=user,
    )
    transaction.on_commit(lambda: render_meeting_documents.delay(job.pk))
    return job


def run_job(job_id):
    """Render the job's documents one by one, saving progress after each. A failure stops the
    job with its reason; documents already issued are complete and stay."""
    job = MeetingDocumentsJob.objects.select_related("created_by", "municipality").get(pk=job_id)
    if not job.may_run:
        return job
    job.mark_running()
    cases = {case.pk: case for case in Case.objects.filter(pk__in=job.case_ids).select_related("applicant_unit")}
    ordered = [cases[pk] for pk in job.case_ids if pk in cases]
    try:
        agenda = issue_agenda(
            job.created_by,
            job.municipality,
            meeting_date=job.meeting_date,
            cases=ordered,
            meeting_time=job.meeting_time,
            place=job.place,
        )
        job.documents.add(agenda)
        job.record_progress(1)
        if ordered and ordered[0].rules.round_basis:
            # One tjänsteskrivelse for the meeting, the applications as issued attached to it.
            applications = []
            for index, case in enumerate(ordered, start=2):
                applications.append(issue_application(case, job.created_by))
                job.documents.add(applications[-1])
                job.record_progress(index)
            basis = issue_round_basis(
                job.created_by,
                job.municipality,
                meeting_date=job.meeting_date,
                cases=ordered,
                applications=applications,
            )
            job.documents.add(basis)
            job.record_progress(len(ordered) + 2)
        else:
            for index, case in enumerate(ordered, start=2):
                job.documents.add(issue_decision_basis(case, job.created_by))
                job.record_progress(index)
    except RenderError as error:
        job.mark_failed(error)
    else:
        job.mark_done()
    job.refresh_from_db()
    return job
