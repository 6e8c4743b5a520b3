from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.selectors import cases_for_list
from applications.views import case_detail
from core.filenames import set_disposition
from core.pdf import RenderError
from core.permissions import own_municipality, permission_required
from core.refusals import DomainRefusedError

from . import letters, services
from .forms import DecisionForm, LifecycleDecisionForm, MeetingForm, ProposalForm
from .meetings import agenda_cases, start_meeting_documents
from .models import LIFECYCLE_KINDS, DocumentKind, IssuedDocument, MeetingDocumentsJob
from .rules import DECIDE_GROUP, ISSUE_BASIS, RESEND_LETTER

# The meeting's pages, of the user's own municipality: a system admin, who holds every permission,
# belongs to none, which has the meetings.
prepares_meeting = permission_required(
    "decisions.prepare_meeting",
    fn=own_municipality,
    message=gettext_lazy("Sammanträdet förbereds av beslutande organ och den beredande gruppen."),
    given_as="municipality",
)


def _issue_documents(request, decision):
    """Issue the decision's documents and say so; a rendering failure leaves the decision
    recorded and says the documents can be issued again."""
    try:
        services.issue_decision_documents(decision, request.user)
    except RenderError as error:
        messages.error(
            request,
            _("Beslutet är protokollfört men handlingarna kunde inte skapas: %(error)s. Försök igen.")
            % {"error": error},
        )
        return
    if decision.kind in LIFECYCLE_KINDS:
        messages.success(
            request, _("%(decision)s är protokollfört; protokollsutdraget är upprättat.") % {"decision": decision}
        )
    else:
        messages.success(
            request,
            _("%(decision)s är protokollfört; protokollsutdrag och beslutsbrev är upprättade.")
            % {"decision": decision},
        )


def _record(request, form):
    """Record the decision the valid form describes; on refusal the problem goes next to its field."""
    data = form.cleaned_data
    try:
        return services.record_decision(
            request.user,
            cases=form.chosen_cases(),
            kind=data["kind"],
            meeting_date=data["meeting_date"],
            paragraph=data["paragraph"],
            reason=data["reason"],
            conditions=data["conditions"],
            amounts=form.amounts(),
            **form.minutes(),
        )
    except DomainRefusedError as refusal:
        form.add_refusal(refusal)
        return None


@login_required
def record_view(request, pk):
    """The decision body's decision on one case. The case page shows the same form; a refused
    decision comes back here with what was typed and the problem next to its field."""
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    rules = case.rules
    if request.method != "POST" and not services.may_decide(case, request.user):
        raise Http404
    form = DecisionForm(request.POST or None, cases=[case], user=request.user)
    if request.method == "POST" and form.is_valid():
        decision = _record(request, form)
        if decision is not None:
            _issue_documents(request, decision)
            return redirect("applications:detail", case.pk)
    status = 400 if form.is_bound else 200
    body = rules.body_name(rules.decision_role)
    return render(request, "decisions/record.html", {"case": case, "form": form, "body": body}, status=status)


@login_required
@prepares_meeting
def group_view(request, municipality):
    """Several ready cases decided as one whole: one meeting, one §, each case's amount and
    split per year. Offered only where the rule set allows it; elsewhere refused with the reason."""
    rules = municipality.active_ruleset.rules
    body = rules.body_name(rules.decision_role)
    allowed, refusal = DECIDE_GROUP.check(request.user, municipality)
    if not allowed:
        return render(request, "decisions/group.html", {"refusal": refusal, "body": body}, status=403)
    form = DecisionForm(request.POST or None, cases=agenda_cases(request.user), choose_cases=True, user=request.user)
    if request.method == "POST" and form.is_valid():
        decision = _record(request, form)
        if decision is not None:
            _issue_documents(request, decision)
            return redirect("decisions:meeting")
    status = 400 if form.is_bound else 200
    return render(request, "decisions/group.html", {"form": form, "body": body}, status=status)


@login_required
@require_POST
def lifecycle_view(request, pk):
    """Record a decision on a granted project (abort, continue, extend, design change,
    implementation) and issue its minutes extract. A refused decision shows the case page again
    with what the user typed and the reason beside its field; nothing is stored."""
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    kinds = services.lifecycle_kinds_for(case, request.user)
    if not kinds:
        messages.error(
            request,
            _("Du kan inte fatta något beslut om ärendet när dess status är ”%(state)s”.")
            % {"state": case.get_state_display()},
        )
        return redirect("applications:detail", case.pk)
    form = LifecycleDecisionForm(request.POST, kinds=kinds, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.record_decision(
                request.user,
                cases=[case],
                kind=data["kind"],
                meeting_date=data["meeting_date"],
                paragraph=data["paragraph"],
                reason=data["reason"],
                new_end=data.get("new_end"),
                change=data.get("change", ""),
                **form.minutes(),
            )
        except DomainRefusedError as refusal:
            form.add_refusal(refusal)
        else:
            _issue_documents(request, decision)
            return redirect("applications:detail", case.pk)
    request.lifecycle_decision_form = form
    return case_detail(request, pk)


@login_required
@require_POST
def issue_basis_view(request, pk):
    """Issue the case's tjänsteskrivelse, keeping the proposal to the decision body as the
    preparer worded it. A refused proposal (empty) issues nothing and says why."""
    case = get_object_or_404(cases_for_list(request.user), pk=pk)
    allowed, reason = ISSUE_BASIS.check(request.user, case)
    if not allowed:
        messages.error(request, reason)
        return redirect("applications:detail", case.pk)
    # Without a proposal in the request (a page that does not ask), the one in force is printed.
    form = ProposalForm(request.POST) if "proposal" in request.POST else None
    if form is not None and not form.is_valid():
        messages.error(request, form.errors["proposal"][0])
        return redirect("applications:detail", case.pk)
    try:
        if form is not None:
            services.write_proposal(case, request.user, form.cleaned_data["proposal"])
        services.issue_decision_basis(case, request.user)
    except RenderError as error:
        messages.error(request, _("Beslutsunderlaget kunde inte skapas: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Beslutsunderlaget är upprättat."))
    return redirect("applications:detail", case.pk)


@login_required
def document_view(request, document_id):
    """The issued PDF, byte for byte as issued, for those who may see its case or municipality."""
    document = get_object_or_404(
        IssuedDocument.objects.select_related("case", "decision", "municipality"), pk=document_id
    )
    if document.case_id:
        if not cases_for_list(request.user).filter(pk=document.case_id).exists():
            raise Http404
    elif document.decision_id:
        # A decision's extract shared by several cases: for those who may see one of them.
        if not cases_for_list(request.user).filter(decision_lines__decision=document.decision_id).exists():
            raise Http404
    elif not (request.user.is_superuser or request.user.municipality_id == document.municipality_id):
        raise Http404
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    set_disposition(response, document.filename, inline=True)
    response["ETag"] = f'"{document.sha256}"'
    return response


def _letter_case(request, document_id):
    """The case of the decision letter, among those the user sees (else 404)."""
    document = get_object_or_404(IssuedDocument, pk=document_id, kind=DocumentKind.LETTER, case__isnull=False)
    return get_object_or_404(cases_for_list(request.user), pk=document.case_id)


@login_required
@require_POST
@permission_required(("decisions.resend_letter", RESEND_LETTER), fn=_letter_case)
def resend_letter_view(request, document_id):
    """Send a decision letter whose e-mail failed again now; the beat-scheduled resend tries it
    anyway."""
    document = get_object_or_404(IssuedDocument, pk=document_id)
    try:
        sent = letters.resend_letter(document, request.user)
    except DomainRefusedError as refusal:
        messages.error(request, str(refusal))
    else:
        if sent:
            messages.success(request, _("Beslutsbrevet är skickat igen."))
        else:
            messages.error(request, _("Beslutsbrevet kunde inte skickas nu heller; det försöks igen automatiskt."))
    return redirect(reverse("applications:detail", args=[document.case_id]) + "#h-decisions")


@login_required
@prepares_meeting
def meeting_view(request, municipality):
    """The cases ready for decision in the proposed order; a valid POST (the meeting's day, time
    and place) starts rendering the agenda and the decision bases in the background."""
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_meeting_documents(
                request.user,
                form.cleaned_data["meeting_date"],
                meeting_time=form.cleaned_data["meeting_time"],
                place=form.cleaned_data["place"],
            )
        except RenderError as error:
            messages.error(request, str(error))
        else:
            return redirect("decisions:job", job.pk)
    cases = agenda_cases(request.user)
    rows = [{"case": case, "asked": services.asked_total(case)} for case in cases]
    jobs = MeetingDocumentsJob.objects.filter(municipality_id=request.user.municipality_id)[:5]
    rules = municipality.active_ruleset.rules
    context = {
        "rows": rows,
        "jobs": jobs,
        "form": form,
        "may_decide_group": rules.may_decide_group,
        "round_basis": rules.round_basis,
    }
    return render(request, "decisions/meeting.html", context, status=400 if form.errors else 200)


@login_required
def job_view(request, job_id):
    job = get_object_or_404(MeetingDocumentsJob, pk=job_id, municipality_id=request.user.municipality_id)
    documents = job.documents.order_by("id")
    return render(request, "decisions/job.html", {"job": job, "documents": documents})
