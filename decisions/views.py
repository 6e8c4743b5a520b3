import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.rulebook import RuleBook
from applications.services import TransitionRefusedError, cases_for_list

from . import services
from .documents import RenderError
from .meetings import agenda_cases, start_meeting_documents
from .models import IssuedDocument, MeetingDocumentsJob


def _amount(text):
    cleaned = (text or "").replace("kr", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise TransitionRefusedError(_("%(value)s är inget belopp.") % {"value": text}) from error


@login_required
@require_POST
def record_view(request, pk):
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    try:
        meeting_date = datetime.date.fromisoformat(request.POST.get("meeting_date", ""))
    except ValueError:
        messages.error(request, _("Ange sammanträdesdagen (ÅÅÅÅ-MM-DD)."))
        return redirect("applications:detail", case.pk)
    try:
        years = {
            int(key[5:]): _amount(value)
            for key, value in request.POST.items()
            if key.startswith("year_") and key[5:].isdigit() and value.strip()
        }
        decision = services.record_decision(
            request.user,
            cases=[case],
            kind=request.POST.get("kind", ""),
            meeting_date=meeting_date,
            paragraph=request.POST.get("paragraph", ""),
            reason=request.POST.get("reason", ""),
            conditions=request.POST.get("conditions", ""),
            amounts={case.pk: (_amount(request.POST.get("total")), years)},
        )
    except TransitionRefusedError as error:
        messages.error(request, str(error))
        return redirect("applications:detail", case.pk)
    try:
        services.issue_decision_documents(decision, request.user)
    except RenderError as error:
        messages.error(
            request,
            _("Beslutet är protokollfört men handlingarna kunde inte skapas: %(error)s. Försök igen.")
            % {"error": error},
        )
    else:
        messages.success(
            request,
            _("%(decision)s är protokollfört; protokollsutdrag och beslutsbrev är upprättade.")
            % {"decision": decision},
        )
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def issue_basis_view(request, pk):
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    rules = case.rules
    if not request.user.has_role(rules.decision_basis_role):
        messages.error(
            request,
            _("Bara %(body)s upprättar beslutsunderlaget.") % {"body": rules.body_name(rules.decision_basis_role)},
        )
        return redirect("applications:detail", case.pk)
    try:
        services.issue_decision_basis(case, request.user)
    except RenderError as error:
        messages.error(request, _("Beslutsunderlaget kunde inte skapas: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Beslutsunderlaget är upprättat."))
    return redirect("applications:detail", case.pk)


@login_required
def document_view(request, document_id):
    """The issued PDF, byte for byte as issued, for those who may see its case or municipality."""
    document = get_object_or_404(IssuedDocument, pk=document_id)
    if document.case_id:
        if not cases_for_list(request.user).filter(pk=document.case_id).exists():
            raise Http404
    elif not (request.user.is_superuser or request.user.municipality_id == document.municipality_id):
        raise Http404
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["ETag"] = f'"{document.sha256}"'
    return response


def _may_prepare_meeting(user):
    """The decision body and the preparing group of the user's municipality."""
    ruleset = user.municipality.active_ruleset if user.municipality else None
    if ruleset is None:
        return False
    rules = RuleBook(ruleset.document)
    return any(user.has_role(role) for role in (rules.decision_role, rules.preparation_role, rules.decision_basis_role))


@login_required
def meeting_view(request):
    if not _may_prepare_meeting(request.user):
        raise Http404
    if request.method == "POST":
        try:
            meeting_date = datetime.date.fromisoformat(request.POST.get("meeting_date", ""))
            job = start_meeting_documents(request.user, meeting_date)
        except ValueError:
            messages.error(request, _("Ange sammanträdesdagen (ÅÅÅÅ-MM-DD)."))
        except RenderError as error:
            messages.error(request, str(error))
        else:
            return redirect("decisions:job", job.pk)
    cases = agenda_cases(request.user)
    rows = [{"case": case, "asked": services.asked_total(case)} for case in cases]
    jobs = MeetingDocumentsJob.objects.filter(municipality_id=request.user.municipality_id)[:5]
    return render(request, "decisions/meeting.html", {"rows": rows, "jobs": jobs})


@login_required
def job_view(request, job_id):
    job = get_object_or_404(MeetingDocumentsJob, pk=job_id, municipality_id=request.user.municipality_id)
    documents = job.documents.order_by("id")
    return render(request, "decisions/job.html", {"job": job, "documents": documents})
