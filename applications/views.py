import itertools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import Role
from core.forms import error_anchor
from core.refusals import DomainRefusedError, refuse, show_refusal
from municipalities.rulebook.presentation import role_name, steps_for_roles

from . import selectors
from .checks import application_problems, chosen_goals, idea_problems
from .deadlines import feedback_due, half_time
from .enums import IDEA_STATES, STATE_OF_STEP_STAGE, CaseState, state_now
from .filters import CaseListFilter
from .forms import (
    ApplicationForm,
    AttachmentForm,
    BoardNoticeForm,
    CaseCreateForm,
    IdeaForm,
    PaperSignatureForm,
    SavedFilterForm,
    StepForm,
    TransitionForm,
)
from .models import CaseAttachment, Signature
from .rules import EDIT_CASE, RECORD_BOARD_NOTICE
from .services import board_notice, content, lifecycle, saved_filters, signing, steps
from .signatures import may_record_paper_signature, may_sign, required_signatures, unit_of
from .snapshots import changes_between, readable_content
from .tables import case_table


def _case_for(request, pk):
    """The case if the user may see it; another tenant's case is 'not found'."""
    return get_object_or_404(selectors.cases_for_list(request.user), pk=pk)


@login_required
def start(request):
    """Mina ärenden: what waits for this user, and what their roles mean in their municipality."""
    user = request.user
    municipality = user.municipality
    ruleset = municipality.active_ruleset if municipality else None
    rules = ruleset.rules if ruleset else None
    roles = [Role(role) for role in Role.values if user.has_role(role)]
    role_cards = [
        {
            "role": role,
            "name": role_name(rules, role),
            "duties": rules.bodies[role].duties if rules and role in rules.bodies else "",
            "steps": steps_for_roles(rules, {role}) if rules else [],
        }
        for role in roles
    ]
    return render(
        request,
        "applications/start.html",
        {
            "municipality": municipality,
            "ruleset": ruleset,
            "role_cards": role_cards,
            "waiting_items": selectors.waiting_items(user),
        },
    )


@login_required
def case_list(request):
    """The case list: search, filters, sorting and pages, the user's saved filters, and the way to
    export exactly the cases the filters select."""
    return _render_case_list(request, request.GET)


def _render_case_list(request, query, *, save_form=None, status=200):
    filters = CaseListFilter(query, user=request.user)
    table = case_table(filters.qs, request.user, query)
    current = filters.query()
    return render(
        request,
        "applications/case_list.html",
        {
            "filter": filters,
            "table": table,
            "current_query": _encoded(current),
            "is_filtered": filters.is_filtered,
            "saved_filters": selectors.saved_filters_of(request.user),
            "save_form": save_form or SavedFilterForm(),
        },
        status=status,
    )


def _encoded(query):
    encoded = QueryDict(mutable=True)
    encoded.update(query)
    return encoded.urlencode()


@login_required
@require_POST
def save_case_filter(request):
    """Save the list's current filter (sent as ``query``, the list's query string) under a name.
    Only its valid filters are kept; a missing name is told by the field."""
    query = QueryDict(request.POST.get("query", ""))
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        try:
            saved_filters.save_case_filter(
                request.user, name=form.cleaned_data["name"], query=CaseListFilter(query, user=request.user).query()
            )
        except DomainRefusedError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, _("Filtret ”%(name)s” är sparat.") % {"name": form.cleaned_data["name"]})
            return redirect(f"{reverse('applications:list')}?{query.urlencode()}")
    return _render_case_list(request, query, save_form=form, status=400)


@login_required
@require_POST
def delete_case_filter(request, filter_id):
    """Delete one of the user's own saved filters; another user's is not found."""
    if not saved_filters.delete_case_filter(request.user, filter_id):
        raise Http404
    messages.success(request, _("Det sparade filtret är borttaget."))
    return redirect("applications:list")


@login_required
def case_create(request):
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = content.create_case(request.user, title=form.cleaned_data["title"])
        messages.success(request, _("Ärendet är skapat. Du kan spara och fortsätta senare."))
        return redirect("applications:edit", case.pk)
    return render(request, "applications/case_create.html", {"form": form})


@login_required
def case_detail(request, pk):
    return _render_detail(request, _case_with_waits(request, pk))


def _case_with_waits(request, pk):
    """The case with what its waits read (reports, remisser, reviews, signatures), so that the
    page stays at a fixed number of queries however many there are."""
    return get_object_or_404(selectors.cases_with_waits(request.user), pk=pk)


def _render_detail(request, case, *, board_form=None, typed_step=None, paper_forms=None, status=200):
    """The case page. ``typed_step`` is (step id, what was typed, {field: error}) when a step form
    was refused: that form is shown again with the input kept and the error by its field;
    ``board_form`` (a refused record of the informed nämnd) and ``paper_forms`` (refused paper
    signatures by actor id) are shown again likewise."""
    user = request.user
    if getattr(case, "has_signature_request", None) is None:  # read by a form's view: read it again
        case = _case_with_waits(request, case.pk)
    overview = selectors.case_overview(case, user)
    if typed_step:
        for step, _allowed, _reason in itertools.chain(*overview.steps_by_stage.values()):
            if step.pk == typed_step[0]:
                step.typed, step.errors = typed_step[1], typed_step[2]
    problems = []
    if case.is_editable:
        problems = idea_problems(case) if case.state == CaseState.IDEA_DRAFT else application_problems(case)
    signature_rows = _signature_rows(case, user, paper_forms or {})
    stages = _stage_parts(case, overview.steps_by_stage)
    return render(
        request,
        "applications/case_detail.html",
        {
            "case": case,
            "rules": case.rules,
            "options": overview.options,
            "waiting": overview.waiting,
            "waiting_on_me": overview.waiting_on_me,
            "steps_by_stage": overview.steps_by_stage,
            "preparation_stages": [part for part in stages if part["stage"] in PREPARATION_STAGES],
            "project_stages": [part for part in stages if part["stage"] not in PREPARATION_STAGES],
            "my_actions": _my_actions(stages, signature_rows),
            "history": overview.history,
            "problems": problems,
            "deadlines": _deadlines(case),
            "transition_form": TransitionForm(initial={"expected_state": case.state}),
            "step_form": StepForm(),
            "attachment_form": AttachmentForm(),
            "idea_items": [
                (label, case.idea.get(str(index), "")) for index, label in enumerate(case.rules.stages.idea.contents)
            ]
            if case.idea
            else [],
            "section_items": []
            if case.state in IDEA_STATES or case.state == CaseState.IDEA_REJECTED
            else [(section, case.sections.get(section.key, "")) for section in case.rules.application.sections],
            "signature_rows": signature_rows,
            "former_signatures": _former_signatures(case),
            "completion_fields": [label for label, _text in readable_content(case)],
            "changes": _changes_since_last_submission(case),
            "goal_items": _goal_items(case),
            **_board_notice_context(case, user, board_form),
        },
        status=status,
    )


# The case page's parts (Översikt, Ansökan, Beredning, Beslut, Projekt, Ekonomi, Historik): the
# steps of these stages belong to the preparation, the later stages' to the project.
PREPARATION_STAGES = ("idea", "preparation")


def _stage_parts(case, steps_by_stage):
    """Each stage's steps, and whether the stage is at work now. A stage the case has left (or not
    reached) is shown collapsed: none of its steps can be done."""
    return [
        {
            "stage": stage,
            "steps": steps,
            "current": STATE_OF_STEP_STAGE.get(stage) == case.state,
            "typed": any(getattr(step, "errors", None) for step, _allowed, _reason in steps),
        }
        for stage, steps in steps_by_stage.items()
    ]


def _my_actions(stages, signature_rows):
    """What the viewer can do now on this case, as (anchor, label): the steps they may register
    and the signatures they may give, shown first on the page and linked to their forms."""
    actions = [
        (f"#step-{step.pk}", _("Registrera steget: %(step)s") % {"step": step.name})
        for part in stages
        for step, allowed, _reason in part["steps"]
        if allowed
    ]
    actions += [
        (f"#signature-{index}", _("Skriv under för %(name)s") % {"name": row["requirement"].signed_for})
        for index, row in enumerate(signature_rows, start=1)
        if row["may_sign"]
    ]
    return actions


def _goal_items(case):
    """(goal list, [(goal, comment)]) for each goal list of the rule set that has goals."""
    if case.state in IDEA_STATES or case.state == CaseState.IDEA_REJECTED:
        return []
    return [
        (goal_list, chosen_goals(case, goal_list)) for goal_list in case.rules.application.goal_lists if goal_list.goals
    ]


def _board_notice_context(case, user, form):
    requirement = case.rules.stages.application.board_informed
    if not requirement:
        return {"board_informed": None}
    allowed = user.has_perm("applications.record_board_notice_case", case)
    return {
        "board_informed": requirement,
        "board_notices": list(case.board_notices.select_related("board", "recorded_by")),
        "board_form": (form or BoardNoticeForm(case=case, user=user)) if allowed else None,
    }


@login_required
@require_POST
def case_board_notice(request, pk):
    """Record that the affected nämnd has been informed; a refusal is shown by its field, with
    what the user typed kept."""
    case = _case_for(request, pk)
    allowed, reason = RECORD_BOARD_NOTICE.check(request.user, case)
    if not allowed:
        messages.error(request, reason)
        return redirect("applications:detail", case.pk)
    form = BoardNoticeForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            board_notice.record_board_notice(
                case,
                request.user,
                board=form.cleaned_data["board"],
                informed_on=form.cleaned_data["informed_on"],
                informed_by=form.cleaned_data["informed_by"],
            )
        except DomainRefusedError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, _("Det är registrerat att nämnden har informerats."))
            return redirect("applications:detail", case.pk)
    messages.error(request, _("Informationen till nämnden kunde inte registreras: rätta det som är markerat."))
    return _render_detail(request, case, board_form=form)


def _changes_since_last_submission(case):
    snapshots = list(case.snapshots.order_by("-number")[:2])
    if len(snapshots) < 2:
        return None
    newest, previous = snapshots
    return {"previous": previous, "newest": newest, "items": changes_between(previous.content, newest.content)}


def _former_signatures(case):
    """Voided signatures for units or partners the application no longer names: still shown."""
    required = {requirement.key for requirement in required_signatures(case)}
    return [s for s in case.signatures.select_related("signer") if s.requirement not in required]


def _signature_rows(case, user, paper_forms):
    """Each signature the rule set asks for: who signs it (a unit's designated head and deputies),
    who signed (and any earlier, voided signatures), and whether this user may sign now or, for a
    partner, record its signature from paper."""
    by_requirement = {}
    for signature in case.signatures.select_related("signer", "recorded_by"):
        by_requirement.setdefault(signature.requirement, []).append(signature)
    rows = []
    for requirement in required_signatures(case):
        signatures = by_requirement.get(requirement.key, [])
        valid = next((s for s in signatures if s.is_valid), None)
        allowed, reason = may_sign(case, requirement, user)
        unit = unit_of(requirement) if requirement.unit_id else None
        may_record = requirement.actor_id and may_record_paper_signature(case, requirement, user)[0]
        rows.append(
            {
                "requirement": requirement,
                "unit": unit,
                "valid": valid,
                "voided": [s for s in signatures if not s.is_valid],
                "may_sign": allowed,
                "reason": reason,
                "paper_form": (
                    paper_forms.get(requirement.actor_id) or PaperSignatureForm(actor_id=requirement.actor_id)
                )
                if may_record
                else None,
            }
        )
    return rows


@login_required
@require_POST
def case_sign(request, pk):
    case = _case_for(request, pk)
    try:
        signature = signing.sign(case, request.POST.get("requirement", ""), request.user)
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Du har skrivit under för %(name)s.") % {"name": signature.signed_for})
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def case_paper_signature(request, pk, actor_id):
    """Record a partner's signature given on paper. A refusal is shown by its field, with what
    was typed kept."""
    case = _case_for(request, pk)
    form = PaperSignatureForm(request.POST, request.FILES, actor_id=actor_id)
    if form.is_valid():
        try:
            signature = signing.record_paper_signature(
                case,
                f"actor:{actor_id}",
                request.user,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_title=form.cleaned_data["signatory_title"],
                signed_on=form.cleaned_data["signed_on"],
                document=form.cleaned_data["document"],
            )
        except DomainRefusedError as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("Underskriften på papper för %(name)s är registrerad.") % {"name": signature.signed_for},
            )
            return redirect("applications:detail", case.pk)
    messages.error(request, _("Underskriften kunde inte registreras: rätta det som är markerat."))
    return _render_detail(request, case, paper_forms={actor_id: form})


@login_required
def signature_document(request, pk, signature_id):
    case = _case_for(request, pk)
    signature = get_object_or_404(Signature, pk=signature_id, case=case, method="paper")
    return FileResponse(
        signature.document.open("rb"), as_attachment=True, filename=signature.document.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def case_request_signatures(request, pk):
    case = _case_for(request, pk)
    try:
        asked = signing.request_signatures(case, request.user)
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        if asked:
            names = ", ".join(str(person) for person in asked)
            messages.success(request, _("Vi har bett %(names)s att skriva under.") % {"names": names})
        else:
            messages.info(request, _("Ingen annan behöver tillfrågas."))
    return redirect("applications:detail", case.pk)


def _deadlines(case):
    """The dates the guideline sets for this case, computed."""
    dates = []
    feedback = case.rules.calendar.feedback_deadline
    if feedback and case.submitted_at:
        due = feedback_due(case.submitted_at.date(), feedback.months, feedback.days, feedback.excluded_months)
        dates.append((_("Besked till sökande senast"), due, feedback.cite))
    if case.period_start and case.period_end and case.rules.has_half_time_follow_up:
        dates.append((_("Halvtidsuppföljning"), half_time(case.period_start, case.end_date), ""))
    if case.end_date:
        # An aborted project no longer runs to its planned end; the abort decision is its end.
        label = _("Planerat slut (projektet avbröts)") if case.state == CaseState.ABORTED else _("Projektet slutar")
        dates.append((label, case.end_date, ""))
    return dates


@login_required
def case_edit(request, pk):
    case = _case_for(request, pk)
    allowed, reason = EDIT_CASE.check(request.user, case)
    if not allowed:
        messages.error(request, reason)
        return redirect("applications:detail", case.pk)
    is_idea = case.state == CaseState.IDEA_DRAFT
    form_class = IdeaForm if is_idea else ApplicationForm
    form = form_class(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            if is_idea:
                case = content.save_case(case, request.user, fields=form.case_fields(), expected_state=case.state)
            else:
                case = content.save_case(
                    case,
                    request.user,
                    fields=form.case_fields(),
                    units=form.cleaned_data["units"],
                    external_actors=form.cleaned_data["external_actors"],
                    costs=form.costs(),
                    expected_state=case.state,
                )
        except (DomainRefusedError, PermissionDenied) as refusal:
            messages.error(request, str(refusal))
            return redirect("applications:detail", case.pk)
        if "submit" not in request.POST:
            messages.success(request, _("Utkastet är sparat."))
            return redirect("applications:edit", case.pk)
        name = {"idea_draft": "submit_idea", "draft": "submit", "returned": "resubmit"}[case.state]
        try:
            lifecycle.run_transition(case, name, request.user, expected_state=case.state)
        except DomainRefusedError:
            # What was typed is kept (and saved); the error summary above the heading counts the
            # problems and links to each field, and takes the focus.
            form = form_class(request.POST, case=case)
            form.is_valid()
            form.add_problems(idea_problems(case) if is_idea else application_problems(case))
            if is_idea:
                refused = _("Idén är sparad men kunde inte lämnas in: rätta det som är markerat.")
            else:
                refused = _("Ansökan är sparad men kunde inte lämnas in: rätta det som är markerat.")
            context = {"case": case, "form": form, "is_idea": is_idea, "refused": refused}
            return render(request, "applications/case_form.html", context, status=200)
        case.refresh_from_db()
        messages.success(request, _("Inlämnat. Ärendet har diarienummer %(number)s.") % {"number": case.number})
        return redirect("applications:detail", case.pk)
    problems = idea_problems(case) if is_idea else application_problems(case)
    return render(
        request,
        "applications/case_form.html",
        {"case": case, "form": form, "is_idea": is_idea, "missing": _missing(case, form, problems)},
    )


def _missing(case, form, problems):
    """(address, label, message) of what remains before submission, each linking to the control
    where it is fixed: the field, the first cost, or the signatures on the case page."""
    items = []
    for problem in problems:
        name = form.cost_field_names[0] if problem.field == "costs" and form.cost_field_names else problem.field
        if name in form.fields:
            label = _("Kostnader") if problem.field == "costs" else form.fields[name].label
            items.append((f"#{error_anchor(form[name])}", label, problem.message))
        elif problem.field == "signatures":
            items.append((reverse("applications:detail", args=[case.pk]) + "#h-signatures", "", problem.message))
        else:
            items.append(("", "", problem.message))
    return items


@login_required
@require_POST
def case_transition(request, pk, name):
    case = _case_for(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ogiltig begäran: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("applications:detail", case.pk)
    try:
        allowed_missing = {label for label, _text in readable_content(case)}
        case = lifecycle.run_transition(
            case,
            name,
            request.user,
            reason=form.cleaned_data["reason"],
            expected_state=form.cleaned_data["expected_state"],
            new_end=form.cleaned_data["new_end"],
            missing=[item for item in request.POST.getlist("missing") if item in allowed_missing],
        )
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Klart. %(now)s") % {"now": state_now(case.state)})
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def case_step(request, pk, step_id):
    case = _case_for(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        message = _("Välj ett utfall för steget.")
        messages.error(request, message)
        return _render_detail(request, case, typed_step=(step_id, request.POST, {"outcome": message}))
    try:
        step = steps.complete_step(
            case,
            step_id,
            request.user,
            outcome=form.cleaned_data["outcome"],
            comment=form.cleaned_data["comment"],
            expertise=form.expertise(),
        )
    except DomainRefusedError as refusal:
        refuse(request, refusal)
        field = refusal.field or "outcome"
        return _render_detail(
            request, _case_for(request, pk), typed_step=(step_id, request.POST, {field: str(refusal)})
        )
    except case.steps.model.DoesNotExist:
        messages.error(request, _("Steget finns inte i ärendet."))
    else:
        messages.success(request, _("Steget %(step)s är registrerat.") % {"step": step})
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    case = _case_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            content.add_attachment(case, request.user, form.cleaned_data["file"], max_mb=settings.MAX_UPLOAD_MB)
        except (DomainRefusedError, PermissionDenied) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Bilagan är uppladdad."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("applications:edit" if request.POST.get("next") == "edit" else "applications:detail", case.pk)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    case = _case_for(request, pk)
    try:
        name = content.remove_attachment(case, request.user, attachment_id)
    except (DomainRefusedError, PermissionDenied) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Bilagan %(name)s är borttagen.") % {"name": name})
    return redirect("applications:detail", case.pk)


@login_required
def attachment_download(request, pk, attachment_id):
    case = _case_for(request, pk)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_id, case=case)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
