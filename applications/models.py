"""A case (ärende) from idea to implementation. The lifecycle is one django-fsm state machine;
the pinned rule set decides which stages a case passes through and who acts in each.

Transition bodies only set the fields that belong to the new state. The service
(`applications.services.lifecycle.run_transition`) locks the row, checks, runs a transition,
saves and writes the history.
"""

from dataclasses import dataclass
from functools import cache, cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition
from rules.contrib.models import RulesModelBase, RulesModelMixin

from accounts.rules import is_staff_member
from core.models import UploadedAttachment
from municipalities.models import ExternalActor, Municipality, OrganisationalUnit, RuleSetVersion
from municipalities.rulebook.enums import StepKind

from . import conditions as c
from . import rules as case_rules
from .enums import EDITABLE_STATES, OPEN_STATES, RUNNING_STATES, CaseState, StepOutcome, StepStatus

S = CaseState


class DecisionRound(models.Model):
    """A meeting of the decision body that applications are submitted for (Ystad: one or two a
    year, the second only if money remains: what remains is read from the fund's ledger)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="decision_rounds")
    name = models.CharField(_("namn"), max_length=200, help_text=_("Som i regelverkets beslutstillfällen."))
    meeting_date = models.DateField(_("sammanträdesdag"))
    # Whether money remains is read from the fund's ledger (funds.selectors.money_left_in).
    requires_remaining_funds = models.BooleanField(_("hålls bara om medel återstår"), default=False)
    is_open = models.BooleanField(_("tar emot ansökningar"), default=True)

    class Meta:
        ordering = ["meeting_date"]
        verbose_name = _("beslutstillfälle")
        verbose_name_plural = _("beslutstillfällen")

    def __str__(self):
        return f"{self.name} {self.meeting_date:%Y-%m-%d}"


@dataclass(frozen=True)
class TransitionDetails:
    """What the pages, the history, the services and the demo know of one transition of the
    case, written on it as ``@transition(custom={...})``; read through ``Case.lifecycle()`` and
    ``Case.transition_details(name)``. A key left out takes the default here."""

    name: str
    label: str  # the button, and the transition's entry in the case history
    # Who acts: a kind of rules.ACTION_ROLES, which the rule set gives a role. Read from the
    # transition's ``permission=conditions.may(action)``, so it is said once.
    action: str
    stage: str  # the rule-set stage it belongs to; a rule set that does not use the stage hides it
    style: str = "primary"  # the button's colour: primary, secondary or danger
    needs_reason: bool = False
    # How it is taken. "" (a button on the case page); "decision": only by recording the deciding
    # body's decision (decisions.services.record_decision, with the meeting, the § and the
    # reason), so the case page offers the decision form instead; "content": only by the service
    # that records what the new state means exists (the final report), having checked who may
    # write it. ``taken_where`` tells someone who asks for it bare where it is taken.
    taken_by: str = ""
    taken_where: str = ""
    asks: tuple = ()  # what its form asks besides the reason: "new_end", "missing" (what to complete)
    # The first such transition pins the rule set in force and gives the case its diarienummer.
    numbers_case: bool = False
    # The application as submitted is kept (a snapshot), and the completion asked for is answered.
    snapshots_application: bool = False
    carries_idea: bool = False  # the approved idea prefills the application's sections

    @property
    def audit_action(self):
        return f"case.{self.name}"

    @property
    def is_button(self):
        return not self.taken_by


@cache
def _transition_details(model):
    """{name: TransitionDetails} of the model's state transitions, in the order written."""
    written = list(vars(model))
    details = {}
    for fsm_transition in model._meta.get_field("state").get_all_transitions(model):
        details.setdefault(
            fsm_transition.name,
            TransitionDetails(
                name=fsm_transition.name, action=fsm_transition.permission.action, **fsm_transition.custom
            ),
        )
    return dict(sorted(details.items(), key=lambda item: written.index(item[0])))


# People who take part in a case through a record an app above this one keeps (a granted
# project's organisation, a consultation delegated to an official) see the case as its
# applicants do. Each such app registers the lookup from the case to those people, e.g.
# "project_members__user", so this floor names no model of theirs.
CASE_PARTY_LOOKUPS = []


def register_case_parties(lookup):
    if lookup not in CASE_PARTY_LOOKUPS:
        CASE_PARTY_LOOKUPS.append(lookup)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which cases a user sees. Staff of the case's municipality
        see all its cases; someone who is only an applicant sees the cases they or their unit
        take part in (also as a named project manager or a consultation's delegate:
        CASE_PARTY_LOOKUPS); a system admin sees all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        cases = self.filter(municipality_id=user.municipality_id)
        if is_staff_member(user):
            return cases
        own = Q(created_by=user)
        for lookup in CASE_PARTY_LOOKUPS:
            own |= Q(**{lookup: user})
        if user.unit_id:
            own |= Q(applicant_unit_id=user.unit_id) | Q(units=user.unit_id)
        # A unit's designated head and deputies see the cases they may sign: those of the unit,
        # of the units under it, and of the nämnd above it.
        signs_for = OrganisationalUnit.objects.filter(Q(head=user) | Q(deputies=user)).values("pk")
        for field in ("applicant_unit", "units"):
            own |= (
                Q(**{f"{field}__in": signs_for})
                | Q(**{f"{field}__parent__in": signs_for})
                | Q(**{f"{field}__parent__parent__in": signs_for})
                | Q(**{f"{field}__children__in": signs_for})
            )
        return cases.filter(own).distinct()


class Case(RulesModelMixin, ConcurrentTransitionMixin, FSMModelMixin, models.Model, metaclass=RulesModelBase):
    pins_ruleset_version = True  # a rule-set version a submitted case uses is frozen

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases")
    ruleset_version = models.ForeignKey(
        RuleSetVersion, on_delete=models.PROTECT, related_name="cases", verbose_name=_("regelverksversion")
    )
    number = models.CharField(_("diarienummer"), max_length=30, blank=True)
    state = FSMField(_("status"), default=S.DRAFT, choices=CaseState.choices, protected=True)
    title = models.CharField(_("namn på insatsen"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_cases")
    applicant_unit = models.ForeignKey(
        OrganisationalUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applied_cases",
        verbose_name=_("sökande enhet"),
    )
    units = models.ManyToManyField(
        OrganisationalUnit, blank=True, related_name="cases", verbose_name=_("medverkande enheter")
    )
    external_actors = models.ManyToManyField(
        ExternalActor, blank=True, related_name="cases", verbose_name=_("medverkande externa aktörer")
    )
    period_start = models.DateField(_("projektstart"), null=True, blank=True)
    period_end = models.DateField(_("projektslut"), null=True, blank=True)
    extended_end = models.DateField(_("förlängt till"), null=True, blank=True)
    target_min_age = models.PositiveSmallIntegerField(_("målgrupp, lägsta ålder"), null=True, blank=True)
    target_max_age = models.PositiveSmallIntegerField(_("målgrupp, högsta ålder"), null=True, blank=True)
    idea = models.JSONField(_("idébeskrivning"), default=dict, blank=True)
    sections = models.JSONField(_("ansökans avsnitt"), default=dict, blank=True)
    declarations = models.JSONField(_("intyganden"), default=dict, blank=True)
    measurement_plan = models.TextField(_("mätplan"), blank=True)
    goals = models.JSONField(
        _("koppling till mål"),
        default=dict,
        blank=True,
        help_text="Per goal list of the rule set: {goal key: how the effort contributes}.",
    )
    decision_round = models.ForeignKey(
        DecisionRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("beslutstillfälle"),
    )
    completion_request = models.JSONField(
        _("begärd komplettering"), default=dict, blank=True, help_text="The latest list of what is missing."
    )
    idea_submitted_at = models.DateTimeField(_("idé inlämnad"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ansökan inkom"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        # Who may open, change and record on a case (applications.rules): "applications.add_case",
        # "applications.change_case", "applications.record_board_notice_case".
        rules_permissions = {
            "add": case_rules.may_open_case,
            "change": case_rules.EDIT_CASE.predicate,
            "record_board_notice": case_rules.RECORD_BOARD_NOTICE.predicate,
        }
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], condition=~Q(number=""), name="unique_case_number_per_municipality"
            )
        ]
        # The case list's default order (latest change first) within a municipality reads this
        # index and stops after one page, instead of sorting every case.
        indexes = [models.Index(fields=["municipality", "updated_at"], name="case_municipality_updated")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @cached_property
    def rules(self):
        return self.ruleset_version.rules

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def end_date(self):
        return self.extended_end or self.period_end

    @classmethod
    def lifecycle(cls):
        """The details of every transition, in the order the case page offers them."""
        return tuple(_transition_details(cls).values())

    @classmethod
    def transition_details(cls, name):
        """The details of transition ``name``, or None if the case has no such transition."""
        return _transition_details(cls).get(name)

    def current_steps(self, stage):
        """The steps of the latest time the stage began (a returned application is prepared anew).
        Reads the prefetched steps when there are any, so lists stay at a fixed number of queries."""
        steps = [step for step in self.steps.all() if step.stage == stage]
        latest = max((step.round for step in steps), default=0)
        return [step for step in steps if step.round == latest]

    # Each transition carries its details in ``custom`` (read as TransitionDetails through
    # ``Case.lifecycle()``): its label, its stage and how it is taken; who acts is its permission.
    # The case page offers them in the order they are written here.
    # ---- Idea ---------------------------------------------------------------------------------
    @transition(
        field=state,
        custom={"label": _("Lämna in idén"), "stage": "idea", "numbers_case": True},
        source=S.IDEA_DRAFT,
        target=S.IDEA_SUBMITTED,
        conditions=[c.uses_idea_stage, c.idea_is_complete],
        permission=c.may("applicant"),
    )
    def submit_idea(self, by=None):
        self.idea_submitted_at = timezone.now()

    @transition(
        field=state,
        custom={"label": _("Börja pröva idén"), "stage": "idea"},
        source=S.IDEA_SUBMITTED,
        target=S.IDEA_IN_REVIEW,
        conditions=[c.uses_idea_stage],
        permission=c.may("idea_review"),
    )
    def start_idea_review(self, by=None):
        pass

    @transition(
        field=state,
        custom={"label": _("Godkänn idén"), "stage": "idea"},
        source=S.IDEA_IN_REVIEW,
        target=S.IDEA_APPROVED,
        conditions=[c.uses_idea_stage, c.idea_steps_done, c.idea_gates_passed],
        permission=c.may("idea_review"),
    )
    def approve_idea(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Avslå idén"),
            "stage": "idea",
            "style": "danger",
            "needs_reason": True,
        },
        source=S.IDEA_IN_REVIEW,
        target=S.IDEA_REJECTED,
        conditions=[c.uses_idea_stage],
        permission=c.may("idea_review"),
    )
    def reject_idea(self, by=None):
        pass

    @transition(
        field=state,
        custom={"label": _("Skriv ansökan"), "stage": "idea", "carries_idea": True},
        source=S.IDEA_APPROVED,
        target=S.DRAFT,
        conditions=[c.uses_idea_stage],
        permission=c.may("applicant"),
    )
    def start_application(self, by=None):
        pass

    # ---- Application --------------------------------------------------------------------------
    @transition(
        field=state,
        custom={
            "label": _("Lämna in ansökan"),
            "stage": "application",
            "numbers_case": True,
            "snapshots_application": True,
        },
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[c.application_is_valid],
        permission=c.may("applicant"),
    )
    def submit(self, by=None):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        custom={
            "label": _("Lämna in kompletterad ansökan"),
            "stage": "application",
            "snapshots_application": True,
        },
        source=S.RETURNED,
        target=S.RESUBMITTED,
        conditions=[c.application_is_valid],
        permission=c.may("applicant"),
    )
    def resubmit(self, by=None):
        pass

    # ---- Preparation and decision -------------------------------------------------------------
    @transition(
        field=state,
        custom={"label": _("Börja bereda"), "stage": "preparation"},
        source=[S.SUBMITTED, S.RESUBMITTED],
        target=S.IN_PREPARATION,
        conditions=[c.board_informed],
        permission=c.may("preparation"),
    )
    def start_preparation(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Skicka tillbaka för komplettering"),
            "stage": "preparation",
            "style": "secondary",
            "needs_reason": True,
            "asks": ("missing",),
        },
        source=[S.SUBMITTED, S.RESUBMITTED, S.IN_PREPARATION],
        target=S.RETURNED,
        permission=c.may("preparation"),
    )
    def return_for_completion(self, by=None):
        pass

    @transition(
        field=state,
        custom={"label": _("Klar för beslut"), "stage": "preparation"},
        source=S.IN_PREPARATION,
        target=S.READY_FOR_DECISION,
        conditions=[c.preparation_steps_done, c.preparation_gates_passed],
        permission=c.may("decision_basis"),
    )
    def mark_ready_for_decision(self, by=None):
        pass

    # Granting and rejecting are the decision body's recorded decisions (decisions.services
    # record_decision), not buttons of their own: they are never offered on the case page.
    @transition(
        field=state,
        custom={
            "label": _("Bevilja"),
            "stage": "decision",
            "needs_reason": True,
            "taken_by": "decision",
            "taken_where": _("Ärendet beviljas eller avslås bara genom beslutsorganets protokollförda beslut."),
        },
        source=S.READY_FOR_DECISION,
        target=S.GRANTED,
        permission=c.may("decision"),
    )
    def grant(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Avslå"),
            "stage": "decision",
            "style": "danger",
            "needs_reason": True,
            "taken_by": "decision",
            "taken_where": _("Ärendet beviljas eller avslås bara genom beslutsorganets protokollförda beslut."),
        },
        source=S.READY_FOR_DECISION,
        target=S.REJECTED,
        permission=c.may("decision"),
    )
    def reject(self, by=None):
        pass

    # ---- Start and running --------------------------------------------------------------------
    @transition(
        field=state,
        custom={"label": _("Påbörja projektstart"), "stage": "start"},
        source=S.GRANTED,
        target=S.STARTING,
        permission=c.may("applicant"),
    )
    def begin_start(self, by=None):
        pass

    @transition(
        field=state,
        custom={"label": _("Starta projektet"), "stage": "start"},
        source=S.STARTING,
        target=S.RUNNING,
        conditions=[c.start_steps_done],
        permission=c.may("applicant"),
    )
    def start_project(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Förläng projektet"),
            "stage": "extension",
            "style": "secondary",
            "needs_reason": True,
            "taken_by": "decision",
            "asks": ("new_end",),
        },
        source=[*RUNNING_STATES],
        target=S.EXTENDED,
        conditions=[c.uses_extension],
        permission=c.may("extension"),
    )
    def extend(self, by=None, new_end=None):
        self.extended_end = new_end

    @transition(
        field=state,
        custom={
            "label": _("Föreslå avbrott"),
            "stage": "abort",
            "style": "danger",
            "needs_reason": True,
        },
        source=[*RUNNING_STATES],
        target=S.ABORT_PROPOSED,
        conditions=[c.uses_abort, c.abort_is_proposed],
        permission=c.may("abort_proposal"),
    )
    def propose_abort(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Avbryt projektet"),
            "stage": "abort",
            "style": "danger",
            "needs_reason": True,
            "taken_by": "decision",
        },
        source=[*RUNNING_STATES, S.ABORT_PROPOSED],
        target=S.ABORTED,
        conditions=[c.uses_abort, c.abort_proposed_first, c.abort_steps_done],
        permission=c.may("abort_decision"),
    )
    def abort(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Fortsätt projektet"),
            "stage": "abort",
            "style": "secondary",
            "needs_reason": True,
            "taken_by": "decision",
        },
        source=S.ABORT_PROPOSED,
        target=S.RUNNING,
        conditions=[c.uses_abort, c.abort_steps_done],
        permission=c.may("abort_decision"),
    )
    def continue_project(self, by=None):
        pass

    # Run only by the final report's submission (reporting), in the same transaction: the state
    # means the report is in. Without a final report (Heby) the case is never in this state.
    @transition(
        field=state,
        custom={
            "label": _("Lämna slutrapport"),
            "stage": "follow_up",
            "taken_by": "content",
            "taken_where": _(
                "Ärendet blir ”slutrapport inlämnad” när slutrapporten lämnas in på rapportens sida under Uppföljning."
            ),
        },
        source=[*RUNNING_STATES],
        target=S.FINAL_REPORT,
        conditions=[c.has_final_report],
        permission=c.may("applicant"),
    )
    def submit_final_report(self, by=None):
        pass

    # After the final report; where the rule set has none, straight from running once the last
    # report is in (Heby evaluates in the annual report). Either way the evaluations it requires
    # must be written and submitted.
    @transition(
        field=state,
        custom={"label": _("Utvärdering klar"), "stage": "follow_up"},
        source=[S.FINAL_REPORT, *RUNNING_STATES],
        target=S.EVALUATED,
        conditions=[c.closing_report_in, c.evaluations_submitted],
        permission=c.may("preparation"),
    )
    def evaluate(self, by=None):
        pass

    # ---- Implementation -----------------------------------------------------------------------
    @transition(
        field=state,
        custom={
            "label": _("Implementera"),
            "stage": "implementation",
            "needs_reason": True,
            "taken_by": "decision",
        },
        source=S.EVALUATED,
        target=S.IMPLEMENTED,
        conditions=[c.implementation_steps_done],
        permission=c.may("implementation"),
    )
    def implement(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Implementera delvis"),
            "stage": "implementation",
            "style": "secondary",
            "needs_reason": True,
            "taken_by": "decision",
        },
        source=S.EVALUATED,
        target=S.PARTLY_IMPLEMENTED,
        conditions=[c.partial_implementation_allowed, c.implementation_steps_done],
        permission=c.may("implementation"),
    )
    def implement_partly(self, by=None):
        pass

    @transition(
        field=state,
        custom={
            "label": _("Implementera inte"),
            "stage": "implementation",
            "style": "danger",
            "needs_reason": True,
            "taken_by": "decision",
        },
        source=S.EVALUATED,
        target=S.NOT_IMPLEMENTED,
        conditions=[c.implementation_steps_done],
        permission=c.may("implementation"),
    )
    def decline_implementation(self, by=None):
        pass

    # ---- Withdrawal, from any open state ------------------------------------------------------
    @transition(
        field=state,
        custom={
            "label": _("Återta ärendet"),
            "stage": "application",
            "style": "danger",
            "needs_reason": True,
        },
        source=[*OPEN_STATES],
        target=S.WITHDRAWN,
        permission=c.may("applicant"),
    )
    def withdraw(self, by=None):
        pass


class CaseCost(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="costs")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("kostnad (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        verbose_name = _("kostnad per år")
        verbose_name_plural = _("kostnader per år")
        constraints = [models.UniqueConstraint(fields=["case", "year"], name="one_cost_per_case_year")]

    def __str__(self):
        return f"{self.year}: {self.amount}"


def attachment_path(instance, filename):
    return f"cases/{instance.case.municipality.slug}/{instance.case_id}/{filename}"


class CaseAttachment(UploadedAttachment):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def upload_path(self, filename):
        return attachment_path(self, filename)


class CaseStep(models.Model):
    """One step inside a stage (e.g. 'the process group checks the idea criteria'), copied from
    the pinned rule set when the stage begins, with who must act and how it ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20)
    key = models.CharField(max_length=50)
    name = models.CharField(max_length=300)
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=20)
    gate = models.BooleanField(default=False)
    kind = models.CharField(max_length=12, choices=StepKind.choices, default=StepKind.OUTCOME)
    optional = models.BooleanField(
        default=False, help_text="Done when needed ('vid behov'); never blocks the stage nor later steps."
    )
    expertise_rule = models.CharField(
        max_length=10,
        blank=True,
        choices=[("required", _("krävs")), ("optional", _("kan anges"))],
        help_text="Whether the step records the expertise consulted, from the rule set.",
    )
    expertise_name = models.CharField(_("anlitad expertis"), max_length=200, blank=True)
    expertise_organisation = models.CharField(_("expertisens organisation"), max_length=200, blank=True)
    expertise_contribution = models.TextField(_("vad expertisen bidrog med"), blank=True)
    group = models.PositiveSmallIntegerField(help_text="Steps of one group run in parallel; groups run in order.")
    round = models.PositiveSmallIntegerField(default=1, help_text="How many times the stage has begun for this case.")
    unit = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING)
    outcome = models.CharField(max_length=10, choices=StepOutcome.choices, blank=True)
    comment = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    cite = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["case", "stage", "round", "group", "id"]
        verbose_name = _("steg")
        verbose_name_plural = _("steg")

    def __str__(self):
        return f"{self.display_name}{f' ({self.unit.name})' if self.unit_id else ''}"

    @property
    def display_name(self):
        """The step's name as shown: a step the rule book derives ("Projektplan upprättad") is
        stored in Swedish and translated here; a rule set's own step name has no translation and
        is shown as the rule set writes it."""
        return gettext(self.name) if self.name else ""

    @property
    def is_pending(self):
        return self.status == StepStatus.PENDING

    @property
    def is_information(self):
        return self.kind == StepKind.INFORMATION

    @property
    def records_expertise(self):
        return bool(self.expertise_rule)

    @property
    def has_expertise(self):
        return bool(self.expertise_name or self.expertise_contribution)

    @property
    def blocks(self):
        """Pending and required: holds back the stage's transition and the later steps."""
        return self.is_pending and not self.optional


class BoardNotice(models.Model):
    """That the affected nämnd has been informed of the application: which nämnd, when and by
    whom (Norrköping: before the application goes to the KS office). Never changed; a mistake is
    corrected by a new notice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="board_notices")
    board = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("nämnd"))
    informed_on = models.DateField(_("informerad den"))
    informed_by = models.CharField(_("informerad av"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["informed_on", "id"]
        verbose_name = _("information till nämnd")
        verbose_name_plural = _("information till nämnder")

    def __str__(self):
        return f"{self.board.name} {self.informed_on:%Y-%m-%d}"


class CaseNumberSequence(models.Model):
    """The last diarienummer given per municipality and year; locked while a number is taken."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="one_sequence_per_year")]

    def __str__(self):
        return f"{self.municipality_id}/{self.year}: {self.last_number}"


def signature_document_path(instance, filename):
    return f"cases/{instance.case.municipality.slug}/{instance.case_id}/underskrifter/{filename}"


class SignatureMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("i Fonden")
    PAPER = "paper", _("på papper")


class Signature(models.Model):
    """A signature on the application as it read when signed (its SHA-256 fingerprint).

    A unit is signed for in Fonden by its designated head or a named deputy (``signer``). A
    partner (external actor) signs on paper: a municipal employee (``recorded_by``) uploads the
    signed document and names who signed it (``signatory_name``); the signer is then nobody at
    the municipality. Any change to the application afterwards voids it, visibly; a new
    signature is then needed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signatures")
    requirement = models.CharField(max_length=40, help_text="What is signed for: 'unit:<id>' or 'actor:<id>'.")
    signed_for = models.CharField(_("för"), max_length=200)
    method = models.CharField(
        _("sätt"), max_length=10, choices=SignatureMethod.choices, default=SignatureMethod.ELECTRONIC
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_capacity = models.CharField(_("i egenskap av"), max_length=300)
    signatory_name = models.CharField(_("undertecknad av"), max_length=200, blank=True)
    signed_on = models.DateField(_("undertecknad den"), null=True, blank=True)
    document = models.FileField(_("undertecknat dokument"), upload_to=signature_document_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    recorded_by_capacity = models.CharField(_("registrerad av, befattning"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("underskriven"), auto_now_add=True)
    fingerprint = models.CharField(_("fingeravtryck (SHA-256)"), max_length=64)
    voided_at = models.DateTimeField(_("ogiltig sedan"), null=True, blank=True)
    void_reason = models.CharField(_("varför ogiltig"), max_length=300, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.CheckConstraint(
                condition=(Q(method="electronic") & Q(signer__isnull=False))
                | (Q(method="paper") & Q(signer__isnull=True) & Q(recorded_by__isnull=False)),
                name="signature_signed_in_fonden_or_recorded_from_paper",
            )
        ]

    def __str__(self):
        return f"{self.signed_for}: {self.signatory}"

    @property
    def is_valid(self):
        return self.voided_at is None

    @property
    def on_paper(self):
        return self.method == SignatureMethod.PAPER

    @property
    def signatory(self):
        """Who signed: the person in Fonden, or the name written on the paper."""
        return self.signatory_name if self.on_paper else str(self.signer)


class ApplicationSnapshot(models.Model):
    """The application as it read at each submission, so reviewers see what changed since the
    last version. Never changed after it is taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_snapshot_number_per_case")]

    def __str__(self):
        return f"{self.case_id} #{self.number}"


class SavedCaseFilter(models.Model):
    """A filter of the case list that a user saved under a name, kept as the list's query string.
    It is its owner's alone; applied, it is checked again like any filter, so it never reaches
    beyond the owner's own cases."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_case_filters")
    name = models.CharField(_("namn"), max_length=80)
    query = models.CharField(_("filter"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("sparat filter")
        verbose_name_plural = _("sparade filter")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="one_saved_case_filter_name_per_user")]

    def __str__(self):
        return self.name


class WaitNotice(models.Model):
    """That one person has been told that the case waits for them (``key``: one of the case's
    waits, ``applications.services.notices.wait_key``). A wait is told once to each person; when
    the case no longer waits for it the rows go, so the same wait coming back after a later
    change is told anew."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="wait_notices")
    key = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "notified_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "key", "user"], name="one_notice_per_wait_and_person")]

    def __str__(self):
        return f"{self.case}: {self.key} → {self.user}"
