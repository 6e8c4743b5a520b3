"""Record the decision body's decisions and issue documents. Recording runs the cases'
transitions in the same transaction: a decision that cannot be applied to every case it names
changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.enums import Role
from applications.checks import chosen_goals
from applications.enums import RUNNING_STATES, CaseState, state_clause
from applications.models import Case
from applications.selectors import responsible_board, speaks_for_responsible_board
from applications.services import TransitionRefusedError
from applications.services.lifecycle import run_transition
from applications.services.notices import announce_case_event
from audit.services import record
from core.formatting import format_kronor
from funds.enums import EntryKind
from funds.models import Fund
from funds.selectors import fund_balances
from funds.services import FundRefusedError, commit_grant, release_unpaid
from municipalities.rulebook.enums import Stage

from .documents import issue
from .letters import dispatch_letter
from .models import (
    GRANTING_KINDS,
    LIFECYCLE_KINDS,
    Decision,
    DecisionKind,
    DecisionLine,
    DecisionYear,
    DocumentKind,
    IssuedDocument,
    Proposal,
    paragraph_label,
)
from .rules import GROUP_REFUSAL
from .selectors import (
    asked_total,
    case_officer,
    consultation_answers,
    key_figures,
    officer,
    proposal_text,
    recipients,
    review_scores,
)


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
        _lazy("Regelverket har inget beslut om avbrott."),
        releases_unpaid=True,
    ),
    DecisionKind.CONTINUE: KindRule(
        "continue_project",
        "abort",
        lambda r: r.abort_decision_role,
        _lazy("Regelverket har inget beslut om avbrott."),
    ),
    DecisionKind.EXTEND: KindRule(
        "extend", "extension", lambda r: r.extension_role, _lazy("Regelverket medger inte förlängning.")
    ),
    DecisionKind.DESIGN_CHANGE: KindRule(
        None,
        "design_change",
        lambda r: r.design_change_role,
        _lazy("Regelverket har inget beslut om att ändra ett projekts upplägg."),
    ),
    DecisionKind.IMPLEMENT: KindRule(
        "implement", "implementation", lambda r: r.implementation_role, "", releases_unpaid=True
    ),
    DecisionKind.IMPLEMENT_PARTLY: KindRule(
        "implement_partly",
        "implementation",
        lambda r: r.implementation_role,
        _lazy("Regelverket medger inte delvis implementering."),
        releases_unpaid=True,
    ),
    DecisionKind.NOT_IMPLEMENT: KindRule(
        "decline_implementation", "implementation", lambda r: r.implementation_role, "", releases_unpaid=True
    ),
}
TRANSITION_OF_KIND = {kind: rule.transition for kind, rule in KIND_RULES.items() if rule.transition}


class DecisionRefusedError(TransitionRefusedError):
    """The decision was refused; the message names the problem. Nothing was recorded. ``field``
    names the form field the problem belongs to, when there is one (a case's total is
    ``total_<case id>``, its split per year ``year_<case id>``)."""


def parse_paragraph(value):
    """The paragraph number from what was typed: 212, "212" or "§ 212" all give 212."""
    text = str(value if value is not None else "").strip().lstrip("§").strip()
    if not text:
        raise DecisionRefusedError(_("Ange paragrafnummer (§)."), "paragraph")
    if not text.isdigit() or int(text) <= 0:
        raise DecisionRefusedError(
            _("Paragrafen anges som ett positivt heltal, till exempel 212 (inte %(value)s).") % {"value": value},
            "paragraph",
        )
    return int(text)


def check_meeting_date(meeting_date, cases):
    """The meeting has taken place (not after today) and not before any case was submitted."""
    if meeting_date is None:
        raise DecisionRefusedError(_("Ange sammanträdesdagen."), "meeting_date")
    today = timezone.localdate()
    if meeting_date > today:
        raise DecisionRefusedError(
            _("Sammanträdesdagen %(date)s har inte varit än; ett beslut protokollförs efter sammanträdet.")
            % {"date": meeting_date.isoformat()},
            "meeting_date",
        )
    for case in cases:
        submitted = timezone.localdate(case.submitted_at) if case.submitted_at else None
        if submitted and meeting_date < submitted:
            raise DecisionRefusedError(
                _("Sammanträdesdagen %(date)s ligger före den dag ansökan %(case)s kom in, %(submitted)s.")
                % {
                    "date": meeting_date.isoformat(),
                    "case": case.number or case.title,
                    "submitted": submitted.isoformat(),
                },
                "meeting_date",
            )


def check_adjusted_on(adjusted_on, meeting_date):
    """The minutes are checked (justerade) after the meeting, and not on a day still to come."""
    if adjusted_on is None:
        return
    if adjusted_on < meeting_date:
        raise DecisionRefusedError(
            _("Protokollet kan inte justeras %(adjusted)s, före sammanträdet %(date)s.")
            % {"adjusted": adjusted_on.isoformat(), "date": meeting_date.isoformat()},
            "adjusted_on",
        )
    if adjusted_on > timezone.localdate():
        raise DecisionRefusedError(
            _("Justeringsdagen %(adjusted)s har inte varit än.") % {"adjusted": adjusted_on.isoformat()},
            "adjusted_on",
        )


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
        if role == Role.BOARD and not speaks_for_responsible_board(case, user):
            continue
        transition = KIND_RULES[kind].transition
        if transition is None and case.state not in RUNNING_STATES:
            continue
        if transition is not None and transition not in available:
            continue
        kinds.append((kind, DecisionKind(kind).label))
    return kinds


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
                _("Upplägget kan bara ändras medan projektet pågår, inte när %(state)s.")
                % {"state": state_clause(case.state)},
                "kind",
            )
        if not change.strip():
            raise DecisionRefusedError(_("Beskriv vad i upplägget som ändras."), "change")


def _check_amounts(case, kind, total, years):
    """The granted total and its split per year, checked against the application."""
    if kind not in GRANTING_KINDS:
        return
    name = case.number or case.title
    total_field = f"total_{case.pk}"
    if total is None or total <= 0:
        raise DecisionRefusedError(_("%(case)s: ange det beviljade totalbeloppet.") % {"case": name}, total_field)
    asked = asked_total(case)
    if kind == DecisionKind.GRANT_LOWER and total >= asked:
        raise DecisionRefusedError(
            _("%(case)s: ett lägre belopp ska vara mindre än det sökta, %(asked)s.")
            % {"case": name, "asked": format_kronor(asked)},
            total_field,
        )
    if kind == DecisionKind.GRANT and total > asked:
        raise DecisionRefusedError(
            _("%(case)s: beviljat belopp %(total)s är högre än det sökta, %(asked)s.")
            % {"case": name, "total": format_kronor(total), "asked": format_kronor(asked)},
            total_field,
        )
    multi_year = case.period_start and case.period_end and case.period_end.year > case.period_start.year
    if multi_year and not years:
        raise DecisionRefusedError(
            _("%(case)s: ett flerårigt beviljande ska fördelas per år.") % {"case": name}, f"year_{case.pk}"
        )
    if years:
        split = sum(years.values(), Decimal(0))
        if split != total:
            raise DecisionRefusedError(
                _("%(case)s: fördelningen per år blir %(split)s men totalbeloppet är %(total)s.")
                % {"case": name, "split": format_kronor(split), "total": format_kronor(total)},
                f"year_{case.pk}",
            )
        outside = [y for y in years if case.period_start and not case.period_start.year <= y <= case.period_end.year]
        if outside:
            raise DecisionRefusedError(
                _("%(case)s: år utanför projekttiden: %(years)s.")
                % {"case": name, "years": ", ".join(map(str, outside))},
                f"year_{case.pk}",
            )
        if any(amount < 0 for amount in years.values()):
            raise DecisionRefusedError(
                _("%(case)s: belopp per år kan inte vara negativa.") % {"case": name}, f"year_{case.pk}"
            )


@transaction.atomic
def record_decision(
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
    secretary="",
    adjusters="",
    adjusted_on=None,
    **transition_kwargs,
):
    """Record one decision covering ``cases`` and move each case accordingly: the only way a case
    becomes beviljad or avslagen.

    ``amounts`` maps a case id to ``(total, {year: amount})`` for granting decisions; ``paragraph``
    is the § number (212 or "§ 212"). Further keyword arguments are passed on to each case's
    transition. Refused, with the problem named (and its form field) and nothing stored, when:
    the user is not the decision body; the cases belong to different municipalities; several
    cases are decided together where the rule set does not allow it; the meeting is after today
    or before a case was submitted; an amount or split is wrong; the paragraph is not a positive
    number or is taken at that meeting; a case is not in a state the decision applies to.
    A decision on a granted project (abort, continue, extend, design change, implementation) is
    taken by the body its rule set names for it (Sundsvall's scale-up: kommunfullmäktige); where
    that body is a nämnd, the decision is the case's responsible nämnd's, recorded by one of its
    representatives (Norrköping's ansvarig nämnd, under its own name). An extension states
    ``new_end``, a design change the ``change``. The minutes' ``secretary``, ``adjusters``
    (justerare, comma-separated) and the day they checked the minutes (``adjusted_on``, not before
    the meeting nor after today) are printed on the extract. Side effects: the decision
    with a line and the split per year for each case, the fund commitment per year, each case's
    transition (a design change: its record) and history entries; an abort or the decision at
    the project's end releases what was not paid out, one ledger entry per year naming the
    decision.
    """
    if not cases:
        raise DecisionRefusedError(_("Välj minst ett ärende."), "cases")
    if kind not in DecisionKind.values:
        raise DecisionRefusedError(_("Välj vilket beslut som fattas."), "kind")
    paragraph = parse_paragraph(paragraph)
    if not reason.strip():
        raise DecisionRefusedError(_("Skriv beslutets motivering."), "reason")
    cases = list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    municipality_ids = {case.municipality_id for case in cases}
    if len(municipality_ids) != 1:
        raise DecisionRefusedError(_("Ett beslut gäller ärenden i en och samma kommun."), "cases")
    rules = cases[0].rules
    if len(cases) > 1 and not rules.may_decide_group:
        raise DecisionRefusedError(str(GROUP_REFUSAL), "cases")
    role = deciding_role(rules, kind)
    if role is None:
        raise DecisionRefusedError(str(KIND_RULES[kind].not_allowed), "kind")
    if not user.has_role(role) or user.municipality_id not in municipality_ids:
        raise DecisionRefusedError(_("Bara %(body)s kan fatta beslutet.") % {"body": rules.body_name(role)})
    body = _deciding_board(cases, user) if role == Role.BOARD else rules.body_name(role)
    check_meeting_date(meeting_date, cases)
    check_adjusted_on(adjusted_on, meeting_date)
    amounts = amounts or {}
    for case in cases:
        total, years = amounts.get(case.pk, (None, {}))
        _check_amounts(case, kind, total, years)
        _check_lifecycle(case, kind, new_end=new_end, change=change)
    if kind == DecisionKind.REJECT and not referral:
        referral = rules.stages.decision.on_rejection
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                municipality_id=cases[0].municipality_id,
                body=body,
                meeting_date=meeting_date,
                paragraph=paragraph,
                kind=kind,
                conditions=conditions,
                reason=reason,
                referral=referral,
                new_end=new_end if kind == DecisionKind.EXTEND else None,
                change=change.strip() if kind == DecisionKind.DESIGN_CHANGE else "",
                secretary=secretary.strip(),
                adjusters=", ".join(name.strip() for name in adjusters.split(",") if name.strip()),
                adjusted_on=adjusted_on,
                recorded_by=user,
            )
    except IntegrityError as error:
        raise DecisionRefusedError(
            _("%(paragraph)s vid sammanträdet %(date)s är redan använd.")
            % {"paragraph": paragraph_label(paragraph), "date": meeting_date.isoformat()},
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
        _apply_to_case(case, decision, user, **transition_kwargs)
        record(
            case,
            "decision.recorded",
            actor=user,
            reason=reason,
            data={
                "decision": str(decision),
                "kind": kind,
                "total": str(total or ""),
                "secretary": decision.secretary,
                "adjusters": decision.adjusters,
                "adjusted_on": adjusted_on.isoformat() if adjusted_on else "",
            },
        )
    return decision


def _deciding_board(cases, user):
    """The name of the nämnd whose decision a nämnd representative records: the case's responsible
    nämnd, which takes the decision at its own meeting and under its own §. Refused for a
    representative of another nämnd. Where the applicant unit lies under no nämnd the decision
    bears the name the rule set gives the body."""
    case = cases[0]
    board = responsible_board(case)
    if board is None:
        return case.rules.body_name(Role.BOARD)
    if not all(speaks_for_responsible_board(c, user) for c in cases):
        raise DecisionRefusedError(_("Bara %(board)s kan fatta beslutet.") % {"board": board.name})
    return board.name


def _apply_to_case(case, decision, user, **transition_kwargs):
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
        # No transition tells it: those the rule set keeps informed of the stage are told here.
        announce_case_event(case, stage=rule.stage, action="case.design_changed", user=user)
    else:
        try:
            run_transition(
                case,
                rule.transition,
                user,
                reason=_("%(decision)s: %(reason)s") % {"decision": decision, "reason": decision.reason},
                new_end=decision.new_end,
                decision=decision,
                **transition_kwargs,
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


def may_decide(case, user):
    """Whether the user is the decision body of a case that is ready for its decision."""
    return case.state == CaseState.READY_FOR_DECISION and user.has_role(case.rules.decision_role)


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
    steps = [str(spec.name) for spec in case.rules.step_specs(Stage.START)]
    steps += list(case.rules.stages.start.organisation)
    return steps or [_("Projektet kan starta enligt planen i ansökan.")]


def _proposal_step(case):
    """The proposal a decision on implementation rests on, where another body proposed it
    (Sundsvall: ledningsgruppen's proposal to kommunfullmäktige)."""
    return next((step for step in case.current_steps("implementation") if step.done_by_id), None)


def _lifecycle_extract(decision, case):
    """What a decision on a granted project's extract states beyond the decision: the money it
    released to the fund and the proposal it rests on (the new end and the changed design are
    the decision's own fields)."""
    extract = {
        "released": list(decision.ledger_entries.filter(case=case, kind=EntryKind.RELEASE).order_by("year")),
    }
    if decision.kind in (DecisionKind.IMPLEMENT, DecisionKind.IMPLEMENT_PARTLY, DecisionKind.NOT_IMPLEMENT):
        extract["proposal"] = _proposal_step(case)
    return extract


def issue_decision_documents(decision, user):
    """One minutes extract (protokollsutdrag) of the decision's paragraph, listing every case it
    covers, and for a decision on an application a letter to the applicants of each case, sent to
    them and their units' heads by e-mail once issued (``decisions.letters``). The
    extract of a decision on several cases belongs to the decision, not to one case; each case's
    history names it. A decision on a granted project (abort, extension, design change,
    implementation) has its extract only, stating what changes.

    The extract prints the minutes' signatories, who certifies the extract (``user``: utdraget
    bestyrks) and whom it is sent to (expedieras till); the letter names the case's handläggare
    and how to reach them."""
    on_application = decision.kind in [*GRANTING_KINDS, DecisionKind.REJECT]
    documents = []
    lines = list(
        decision.lines.select_related(
            "case__applicant_unit__head",
            "case__applicant_unit__parent__head",
            "case__ruleset_version",
            "case__created_by",
        ).prefetch_related(
            "years", "case__units__head", "case__units__parent__head", "case__external_actors", "case__costs"
        )
    )
    first = lines[0].case
    common = {
        "lines": lines,
        "decision_text": decision_text(decision),
        "guideline_title": first.rules.guideline.title,
        "ruleset_number": first.ruleset_version.number,
    }
    numbers = ", ".join(line.case.number for line in lines)
    dispatch = list(dict.fromkeys(recipient for line in lines for recipient in recipients(line.case)))
    extract = issue(
        DocumentKind.DECISION,
        user=user,
        title=_("Protokollsutdrag %(decision)s, %(case)s") % {"decision": decision, "case": numbers},
        context={
            **common,
            "line": lines[0],
            "document_label": _("Protokollsutdrag"),
            "certified_by": officer(user),
            "secretary": decision.secretary or decision.recorded_by.full_name,
            "dispatch": dispatch,
            **({} if on_application else _lifecycle_extract(decision, first)),
        },
        municipality=decision.municipality,
        case=first if len(lines) == 1 else None,
        decision=decision,
    )
    documents.append(extract)
    if len(lines) > 1:
        for line in lines:
            record(
                line.case,
                "document.issued",
                actor=user,
                data={"title": extract.title, "sha256": extract.sha256, "kind": extract.kind},
            )
    if not on_application:
        return documents
    for line in lines:
        case = line.case
        letter = issue(
            DocumentKind.LETTER,
            user=user,
            title=_("Beslutsbrev %(case)s") % {"case": case.number},
            context={
                **common,
                "line": line,
                "granted": decision.kind in GRANTING_KINDS,
                "next_steps": next_steps(case),
                "document_label": _("Beslut"),
                "officer": case_officer(case) or officer(user),
            },
            municipality=decision.municipality,
            case=case,
            decision=decision,
        )
        documents.append(letter)
        # Expedieras: e-mailed to the applicant and the units' heads once it has committed.
        dispatch_letter(letter, user)
    return documents


def case_documents(case):
    """The documents issued for a case, with the minutes extract of a decision it shares with
    other cases."""
    return (
        IssuedDocument.objects.filter(Q(case=case) | Q(case__isnull=True, decision__lines__case=case))
        .select_related("issued_by", "replaces")
        .distinct()
        .order_by("issued_at", "id")
    )


@transaction.atomic
def write_proposal(case, user, text):
    """Keep the preparation's proposal to the decision body (förslag till beslut) as ``text``
    words it, where it differs from the one in force (the latest written, else the default).
    Refused when empty. Side effects: a new Proposal and its history entry; nothing when the
    text is unchanged. Returns the proposal text in force."""
    text = text.strip()
    if not text:
        raise DecisionRefusedError(_("Skriv förslaget till beslut."), "proposal")
    if text == proposal_text(case):
        return text
    Proposal.objects.create(case=case, text=text, written_by=user)
    record(case, "decision.proposal_written", actor=user, reason=text)
    return text


def basis_context(case, user):
    """What a case's tjänsteskrivelse states: the handläggare (``user``, who issues it) and the
    body preparing it, the proposal, the application's sections, the preparation's steps, the
    consulted nämnder's answers, the reviews' scores, the calculation's key figures, the
    signatures and attachments, and whom the decision is sent to."""
    rules = case.rules
    return {
        "asked": asked_total(case),
        "sections": [(s, case.sections.get(s.key, "")) for s in rules.application.sections],
        "goal_items": [(g, chosen_goals(case, g)) for g in rules.application.goal_lists if g.goals],
        "steps": [step for stage in ("idea", "preparation") for step in case.current_steps(stage)],
        "officer": officer(user),
        "preparing_body": rules.body_name(rules.decision_basis_role),
        "body": rules.body_name(rules.decision_role),
        "proposal": proposal_text(case),
        "consultations": consultation_answers(case),
        "reviews": review_scores(case),
        "key_figures": key_figures(case),
        "signatures": [signature for signature in case.signatures.all() if signature.is_valid],
        "case_attachments": list(case.attachments.all()),
        "dispatch": recipients(case),
        "document_label": _("Tjänsteskrivelse"),
    }


def issue_decision_basis(case, user, *, replaces=None):
    return issue(
        DocumentKind.DECISION_BASIS,
        user=user,
        title=_("Tjänsteskrivelse %(case)s") % {"case": case.number},
        context=basis_context(case, user),
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


def issue_agenda(user, municipality, *, meeting_date, cases, meeting_time=None, place=""):
    """The meeting's agenda (föredragningslista): the body, the day, the time and the place, and
    the cases in the proposed order."""
    rules = cases[0].rules if cases else None
    return issue(
        DocumentKind.AGENDA,
        user=user,
        title=_("Föredragningslista %(date)s") % {"date": meeting_date.isoformat()},
        context={
            "rows": [{"case": case, "asked": asked_total(case)} for case in cases],
            "meeting_date": meeting_date,
            "meeting_time": meeting_time,
            "place": place,
            "body": rules.body_name(rules.decision_role) if rules else "",
            "officer": officer(user),
            "document_label": _("Föredragningslista"),
        },
        municipality=municipality,
        meeting_date=meeting_date,
    )


def available_in_fund(municipality):
    """What the municipality's fund can still grant, read from its ledger; None without a fund."""
    fund = Fund.objects.filter(municipality=municipality).first()
    return fund_balances(fund).available if fund else None


def issue_round_basis(user, municipality, *, meeting_date, cases, applications):
    """One tjänsteskrivelse for all the cases of a decision meeting, where the rule set asks for
    it (Norrköping): each case's asked sum and the preparation's municipality-wide perspective,
    with the issued ``applications`` embedded as its bilagor."""
    rules = cases[0].rules
    rounds = {case.decision_round.name for case in cases if case.decision_round_id}
    asked = {case.pk: asked_total(case) for case in cases}
    return issue(
        DocumentKind.ROUND_BASIS,
        user=user,
        title=_("Tjänsteskrivelse: ansökningar till sammanträdet %(date)s") % {"date": meeting_date.isoformat()},
        context={
            "rows": [
                {"case": case, "asked": asked[case.pk], "steps": case.current_steps("preparation")} for case in cases
            ],
            "asked_total": sum(asked.values(), Decimal(0)),
            "available": available_in_fund(municipality),
            "meeting_date": meeting_date,
            "round_name": rounds.pop() if len(rounds) == 1 else "",
            "body": rules.body_name(rules.decision_role),
            "officer": officer(user),
            "preparing_body": rules.body_name(rules.decision_basis_role),
            "dispatch": list(dict.fromkeys(recipient for case in cases for recipient in recipients(case))),
            "document_label": _("Tjänsteskrivelse"),
        },
        municipality=municipality,
        attachments=applications,
        meeting_date=meeting_date,
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
