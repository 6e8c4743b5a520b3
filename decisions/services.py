"""Record the decision body's decisions and issue documents. Recording runs the cases'
transitions in the same transaction: a decision that cannot be applied to every case it names
changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import RUNNING_STATES, CaseState
from applications.models import Case
from applications.services import TransitionRefusedError, run_transition
from audit.services import record
from core.formatting import format_kronor
from funds.enums import EntryKind
from funds.services import FundRefusedError, commit_grant, release_unpaid

from .documents import issue
from .models import GRANTING_KINDS, LIFECYCLE_KINDS, Decision, DecisionKind, DecisionLine, DecisionYear, DocumentKind


@dataclass(frozen=True)
class KindRule:
    """What a kind of decision does: the case transition it takes (None: the case stays where it
    is), the rule-set stage that must allow it, the role whose body decides, and whether it ends
    the project so that the part of the grant not paid out goes back to the fund."""

    transition: str | None
    stage: str
    role: object  # RuleBook -> role
    not_allowed: str
    releases_unpaid: bool = False


KIND_RULES = {
    DecisionKind.GRANT: KindRule("grant", "decision", lambda r: r.decision_role, ""),
    DecisionKind.GRANT_LOWER: KindRule("grant", "decision", lambda r: r.decision_role, ""),
    DecisionKind.REJECT: KindRule("reject", "decision", lambda r: r.decision_role, ""),
    DecisionKind.ABORT: KindRule(
        "abort",
        "abort",
        lambda r: r.abort_decision_role,
        gettext_lazy("Regelverket har inget beslut om avbrott."),
        releases_unpaid=True,
    ),
    DecisionKind.CONTINUE: KindRule(
        "continue_project",
        "abort",
        lambda r: r.abort_decision_role,
        gettext_lazy("Regelverket har inget beslut om avbrott."),
    ),
    DecisionKind.EXTEND: KindRule(
        "extend", "extension", lambda r: r.extension_role, gettext_lazy("Regelverket medger inte förlängning.")
    ),
    DecisionKind.DESIGN_CHANGE: KindRule(
        None,
        "design_change",
        lambda r: r.design_change_role,
        gettext_lazy("Regelverket har inget beslut om att ändra ett projekts upplägg."),
    ),
    DecisionKind.IMPLEMENT: KindRule(
        "implement", "implementation", lambda r: r.implementation_role, "", releases_unpaid=True
    ),
    DecisionKind.IMPLEMENT_PARTLY: KindRule(
        "implement_partly",
        "implementation",
        lambda r: r.implementation_role,
        gettext_lazy("Regelverket medger inte delvis implementering."),
        releases_unpaid=True,
    ),
    DecisionKind.NOT_IMPLEMENT: KindRule(
        "decline_implementation", "implementation", lambda r: r.implementation_role, "", releases_unpaid=True
    ),
}
TRANSITION_OF_KIND = {kind: rule.transition for kind, rule in KIND_RULES.items() if rule.transition}


class DecisionRefusedError(TransitionRefusedError):
    """The decision was refused; the message names the problem. Nothing was recorded. ``field``
    names the form field the problem belongs to, when there is one."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def deciding_role(rules, kind):
    """The role whose body takes decisions of ``kind`` under ``rules``; None where the rule set
    has no such decision."""
    rule = KIND_RULES[kind]
    if not rules.uses_stage(rule.stage):
        return None
    if kind == DecisionKind.IMPLEMENT_PARTLY and not rules.partial_implementation_allowed:
        return None
    return rule.role(rules)


def lifecycle_kinds_for(case, user):
    """The lifecycle decisions ``user`` may record on ``case`` now, as (kind, label): those its
    rule set allows, for the user's body, whose transition can be taken from the case's state
    (what is still missing, such as a proposal, the case page tells as what it waits for)."""
    rules = case.rules
    available = {
        t.name
        for t in case.get_all_state_transitions()
        if t.source == case.state and all(condition(case) for condition in t.conditions)
    }
    kinds = []
    for kind in LIFECYCLE_KINDS:
        role = deciding_role(rules, kind)
        if not role or not user.has_role(role) or user.municipality_id != case.municipality_id:
            continue
        transition = KIND_RULES[kind].transition
        if transition is None and case.state not in RUNNING_STATES:
            continue
        if transition is not None and transition not in available:
            continue
        kinds.append((kind, DecisionKind(kind).label))
    return kinds


def _check_meeting_date(cases, meeting_date):
    """A decision is taken at a meeting after the application came in, and not in the future."""
    if meeting_date is None:
        raise DecisionRefusedError(_("Ange sammanträdesdagen."), "meeting_date")
    if meeting_date > timezone.localdate():
        raise DecisionRefusedError(
            _("Sammanträdesdagen %(date)s har inte varit än.") % {"date": meeting_date.isoformat()}, "meeting_date"
        )
    for case in cases:
        submitted = case.submitted_at and timezone.localdate(case.submitted_at)
        if submitted and meeting_date < submitted:
            raise DecisionRefusedError(
                _("Sammanträdesdagen %(date)s är före ansökans inlämning %(submitted)s.")
                % {"date": meeting_date.isoformat(), "submitted": submitted.isoformat()},
                "meeting_date",
            )


def _check_lifecycle(case, kind, *, new_end, change):
    """What a lifecycle decision must state: an extension its new end, a changed design what
    changes (and only while the project runs)."""
    if kind == DecisionKind.EXTEND:
        if new_end is None:
            raise DecisionRefusedError(_("Ange det nya slutdatumet."), "new_end")
        if case.end_date and new_end <= case.end_date:
            raise DecisionRefusedError(
                _("Det nya slutdatumet måste vara efter %(end)s.") % {"end": case.end_date.isoformat()}, "new_end"
            )
    if kind == DecisionKind.DESIGN_CHANGE:
        if case.state not in RUNNING_STATES:
            raise DecisionRefusedError(
                _("Upplägget kan ändras medan projektet pågår; ärendet är %(state)s.")
                % {"state": case.get_state_display()},
                "kind",
            )
        if not change.strip():
            raise DecisionRefusedError(_("Beskriv vad i upplägget som ändras."), "change")


def asked_total(case):
    return sum((cost.amount for cost in case.costs.all()), Decimal(0))


def _check_amounts(case, kind, total, years):
    """The granted total and its split per year, checked against the application."""
    if kind not in GRANTING_KINDS:
        return
    name = case.number or case.title
    if total is None or total <= 0:
        raise DecisionRefusedError(_("%(case)s: ange det beviljade totalbeloppet.") % {"case": name})
    asked = asked_total(case)
    if kind == DecisionKind.GRANT_LOWER and total >= asked:
        raise DecisionRefusedError(
            _("%(case)s: ett lägre belopp ska vara mindre än det sökta, %(asked)s.")
            % {"case": name, "asked": format_kronor(asked)}
        )
    if kind == DecisionKind.GRANT and total > asked:
        raise DecisionRefusedError(
            _("%(case)s: beviljat belopp %(total)s är högre än det sökta, %(asked)s.")
            % {"case": name, "total": format_kronor(total), "asked": format_kronor(asked)}
        )
    multi_year = case.period_start and case.period_end and case.period_end.year > case.period_start.year
    if multi_year and not years:
        raise DecisionRefusedError(_("%(case)s: ett flerårigt beviljande ska fördelas per år.") % {"case": name})
    if years:
        split = sum(years.values(), Decimal(0))
        if split != total:
            raise DecisionRefusedError(
                _("%(case)s: fördelningen per år blir %(split)s men totalbeloppet är %(total)s.")
                % {"case": name, "split": format_kronor(split), "total": format_kronor(total)}
            )
        outside = [y for y in years if case.period_start and not case.period_start.year <= y <= case.period_end.year]
        if outside:
            raise DecisionRefusedError(
                _("%(case)s: år utanför projekttiden: %(years)s.")
                % {"case": name, "years": ", ".join(map(str, outside))}
            )
        if any(amount < 0 for amount in years.values()):
            raise DecisionRefusedError(_("%(case)s: belopp per år kan inte vara negativa.") % {"case": name})


@transaction.atomic
def record_decision(  # noqa: PLR0912 - each check refuses with its own reason
    user,
    *,
    cases,
    kind,
    meeting_date,
    paragraph,
    reason,
    conditions="",
    amounts=None,
    referral="",
    new_end=None,
    change="",
):
    """Record one decision covering ``cases`` and move each case accordingly.

    ``amounts`` maps a case id to ``(total, {year: amount})`` for granting decisions. A lifecycle
    decision (abort, continue, extend, design change, implementation) is taken by the body its
    rule set names for it; an extension states ``new_end``, a design change the ``change``.
    Refused, with the problem named (and its field) and nothing stored, when: the user is not
    that body; the cases belong to different municipalities; several cases are decided together
    where the rule set does not allow it; the meeting is before the submission or in the future;
    an amount or split is wrong; the paragraph is taken; a case is not in a state the decision
    applies to. Side effects: the grant's commitment in the fund; an abort or the decision at the
    project's end releases what was not paid out, one ledger entry per year naming the decision.
    """
    if not cases:
        raise DecisionRefusedError(_("Välj minst ett ärende."))
    if kind not in DecisionKind.values:
        raise DecisionRefusedError(_("Välj vilket beslut som fattas."), "kind")
    if not reason.strip():
        raise DecisionRefusedError(_("Skriv beslutets motivering."), "reason")
    if not str(paragraph).strip():
        raise DecisionRefusedError(_("Ange paragrafnummer (§)."), "paragraph")
    cases = list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    municipality_ids = {case.municipality_id for case in cases}
    if len(municipality_ids) != 1:
        raise DecisionRefusedError(_("Ett beslut gäller ärenden i en och samma kommun."))
    rules = cases[0].rules
    if len(cases) > 1 and not rules.stages["decision"].get("may_decide_group"):
        raise DecisionRefusedError(_("Regelverket medger inte att flera ärenden beslutas som en helhet."))
    role = deciding_role(rules, kind)
    if role is None:
        raise DecisionRefusedError(KIND_RULES[kind].not_allowed, "kind")
    if not user.has_role(role) or user.municipality_id not in municipality_ids:
        raise DecisionRefusedError(_("Bara %(body)s kan fatta beslutet.") % {"body": rules.body_name(role)})
    if kind in LIFECYCLE_KINDS:  # the decisions branch checks every kind's meeting date the same way
        _check_meeting_date(cases, meeting_date)
    amounts = amounts or {}
    for case in cases:
        total, years = amounts.get(case.pk, (None, {}))
        _check_amounts(case, kind, total, years)
        _check_lifecycle(case, kind, new_end=new_end, change=change)
    if kind == DecisionKind.REJECT and not referral:
        referral = rules.stages["decision"].get("on_rejection", "")
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                municipality_id=cases[0].municipality_id,
                body=rules.body_name(role),
                meeting_date=meeting_date,
                paragraph=str(paragraph).strip(),
                kind=kind,
                conditions=conditions,
                reason=reason,
                referral=referral,
                new_end=new_end if kind == DecisionKind.EXTEND else None,
                change=change.strip() if kind == DecisionKind.DESIGN_CHANGE else "",
                recorded_by=user,
            )
    except IntegrityError as error:
        raise DecisionRefusedError(
            _("§ %(paragraph)s vid sammanträdet %(date)s är redan använd.")
            % {"paragraph": paragraph, "date": meeting_date.isoformat()},
            "paragraph",
        ) from error
    for case in cases:
        total, years = amounts.get(case.pk, (None, {}))
        line = DecisionLine.objects.create(
            decision=decision, case=case, total_amount=total if kind in GRANTING_KINDS else None
        )
        DecisionYear.objects.bulk_create([DecisionYear(line=line, year=y, amount=a) for y, a in sorted(years.items())])
        if kind in GRANTING_KINDS:
            _commit_to_fund(case, decision, total, years, user)
        _apply_to_case(case, decision, user)
        record(
            case,
            "decision.recorded",
            actor=user,
            reason=reason,
            data={"decision": str(decision), "kind": kind, "total": str(total or "")},
        )
    return decision


def _apply_to_case(case, decision, user):
    """Take the decision's transition (or, for a design change, record the change), then give
    back what a project's end leaves unpaid."""
    rule = KIND_RULES[decision.kind]
    if rule.transition is None:
        record(
            case,
            "case.design_changed",
            actor=user,
            reason=_("%(decision)s: %(change)s") % {"decision": decision, "change": decision.change},
            data={"decision": str(decision), "change": decision.change},
        )
    else:
        try:
            run_transition(
                case,
                rule.transition,
                user,
                reason=_("%(decision)s: %(reason)s") % {"decision": decision, "reason": decision.reason},
                new_end=decision.new_end,
                decision=decision,
            )
        except DecisionRefusedError:
            raise
        except TransitionRefusedError as refusal:  # not from this state, or a step still missing
            raise DecisionRefusedError(str(refusal), "kind") from refusal
    if rule.releases_unpaid:
        try:
            release_unpaid(case, decision, user)
        except FundRefusedError as refusal:  # pragma: no cover - a release only lowers commitments
            raise DecisionRefusedError(str(refusal)) from refusal


def _commit_to_fund(case, decision, total, years, user):
    """Commit the grant in the fund's ledger, per year, in this transaction; a fund that cannot
    carry it refuses the whole decision. Without a fund nothing is written."""
    if not years:
        years = {(case.period_start or decision.meeting_date).year: total}
    try:
        commit_grant(case, decision, years, user)
    except FundRefusedError as refusal:
        raise DecisionRefusedError(str(refusal)) from refusal


def decidable_cases(user):
    """Cases waiting for this user's decision body, for the decision page."""
    return Case.objects.visible_to(user).filter(state=CaseState.READY_FOR_DECISION)


def decision_text(decision):
    texts = {
        DecisionKind.GRANT: _("%(body)s beviljar ansökan ur den sociala investeringsfonden."),
        DecisionKind.GRANT_LOWER: _("%(body)s beviljar ansökan med ett lägre belopp än det sökta."),
        DecisionKind.REJECT: _("%(body)s avslår ansökan."),
        DecisionKind.ABORT: _("%(body)s beslutar att avbryta insatsen."),
        DecisionKind.CONTINUE: _("%(body)s beslutar att inte avbryta insatsen; den fortsätter enligt plan."),
        DecisionKind.EXTEND: _("%(body)s beslutar att förlänga insatsen."),
        DecisionKind.DESIGN_CHANGE: _("%(body)s beslutar att ändra insatsens upplägg."),
        DecisionKind.IMPLEMENT: _("%(body)s beslutar att insatsen ska implementeras i ordinarie verksamhet."),
        DecisionKind.IMPLEMENT_PARTLY: _(
            "%(body)s beslutar att de lyckade delarna av insatsen ska implementeras i ordinarie verksamhet."
        ),
        DecisionKind.NOT_IMPLEMENT: _("%(body)s beslutar att insatsen inte ska implementeras."),
    }
    return texts[decision.kind] % {"body": decision.body}


def next_steps(case):
    """What a granted project does next, from its rule set's start stage."""
    start = case.rules.stages["start"]
    steps = [str(spec.name) for spec in case.rules.step_specs("start")]
    steps += list(start.get("organisation", []))
    return steps or [_("Projektet kan starta enligt planen i ansökan.")]


def _proposal_step(case):
    """The proposal a lifecycle decision rests on, where another body proposed it (Sundsvall:
    ledningsgruppen's proposal to kommunfullmäktige)."""
    return next((step for step in case.current_steps("implementation") if step.done_by_id), None)


def issue_decision_documents(decision, user):
    """The minutes extract for each case of the decision, and for a decision on an application
    the letter to the applicants. A lifecycle decision's extract states what changes: the new
    end, the changed design, the proposal it rests on and the money released to the fund."""
    documents = []
    lines = list(
        decision.lines.select_related("case__applicant_unit", "case__ruleset_version").prefetch_related("years")
    )
    on_application = decision.kind in [*GRANTING_KINDS, DecisionKind.REJECT]
    for line in lines:
        case = line.case
        common = {
            "lines": lines,
            "line": line,
            "decision_text": decision_text(decision),
            "guideline_title": case.rules.document["guideline"]["title"],
            "ruleset_number": case.ruleset_version.number,
        }
        extract = {"document_label": _("Protokollsutdrag")}
        if not on_application:
            extract["released"] = list(
                decision.ledger_entries.filter(case=case, kind=EntryKind.RELEASE).order_by("year")
            )
            if decision.kind in (DecisionKind.IMPLEMENT, DecisionKind.IMPLEMENT_PARTLY, DecisionKind.NOT_IMPLEMENT):
                extract["proposal"] = _proposal_step(case)
        documents.append(
            issue(
                DocumentKind.DECISION,
                user=user,
                title=_("Protokollsutdrag %(decision)s, %(case)s") % {"decision": decision, "case": case.number},
                context={**common, **extract},
                municipality=decision.municipality,
                case=case,
                decision=decision,
            )
        )
        if not on_application:
            continue
        documents.append(
            issue(
                DocumentKind.LETTER,
                user=user,
                title=_("Beslutsbrev %(case)s") % {"case": case.number},
                context={
                    **common,
                    "granted": decision.kind in GRANTING_KINDS,
                    "next_steps": next_steps(case),
                    "document_label": _("Beslut"),
                },
                municipality=decision.municipality,
                case=case,
                decision=decision,
            )
        )
    return documents


def issue_decision_basis(case, user, *, replaces=None):
    return issue(
        DocumentKind.DECISION_BASIS,
        user=user,
        title=_("Beslutsunderlag %(case)s") % {"case": case.number},
        context={
            "asked": asked_total(case),
            "sections": [(s, case.sections.get(s["key"], "")) for s in case.rules.sections],
            "steps": [step for stage in ("idea", "preparation") for step in case.current_steps(stage)],
            "document_label": _("Tjänsteskrivelse"),
        },
        municipality=case.municipality,
        case=case,
        replaces=replaces,
    )


def issue_application(case, user, *, replaces=None):
    snapshot = case.snapshots.order_by("-number").first()
    return issue(
        DocumentKind.APPLICATION,
        user=user,
        title=_("Ansökan %(case)s") % {"case": case.number},
        context={"content": snapshot.content if snapshot else [], "document_label": _("Ansökan")},
        municipality=case.municipality,
        case=case,
        replaces=replaces,
    )


def issue_agenda(user, municipality, *, meeting_date, cases):
    rules = cases[0].rules if cases else None
    return issue(
        DocumentKind.AGENDA,
        user=user,
        title=_("Föredragningslista %(date)s") % {"date": meeting_date.isoformat()},
        context={
            "rows": [{"case": case, "asked": asked_total(case)} for case in cases],
            "meeting_date": meeting_date,
            "body": rules.body_name(rules.decision_role) if rules else "",
            "document_label": _("Föredragningslista"),
        },
        municipality=municipality,
    )


REISSUERS = {
    DocumentKind.DECISION_BASIS: lambda document, user: issue_decision_basis(document.case, user, replaces=document),
    DocumentKind.APPLICATION: lambda document, user: issue_application(document.case, user, replaces=document),
}


def issue_correction(document, user):
    """A corrected document of the same kind, rendered from the case as it is now, that names the
    one it replaces. The original stays as issued."""
    reissue = REISSUERS.get(document.kind)
    if reissue is None:
        raise DecisionRefusedError(_("Den här handlingen rättas genom ett nytt beslut."))
    return reissue(document, user)
