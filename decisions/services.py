"""Record the decision body's decisions and issue documents. Recording runs the cases'
transitions in the same transaction: a decision that cannot be applied to every case it names
changes nothing."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.checks import chosen_goals
from applications.enums import CaseState
from applications.models import Case
from applications.services import TransitionRefusedError, run_transition
from audit.services import record
from core.formatting import format_kronor
from funds.services import FundRefusedError, commit_grant

from .documents import issue
from .models import GRANTING_KINDS, Decision, DecisionKind, DecisionLine, DecisionYear, DocumentKind

TRANSITION_OF_KIND = {
    DecisionKind.GRANT: "grant",
    DecisionKind.GRANT_LOWER: "grant",
    DecisionKind.REJECT: "reject",
    DecisionKind.ABORT: "abort",
    DecisionKind.EXTEND: "extend",
}


class DecisionRefusedError(TransitionRefusedError):
    """The decision was refused; the message names the problem. Nothing was recorded."""


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
def record_decision(
    user, *, cases, kind, meeting_date, paragraph, reason, conditions="", amounts=None, referral="", new_end=None
):
    """Record one decision covering ``cases`` and move each case accordingly.

    ``amounts`` maps a case id to ``(total, {year: amount})`` for granting decisions. Refused, with
    the problem named and nothing stored, when: the user is not the decision body; the cases
    belong to different municipalities; several cases are decided together where the rule set
    does not allow it; an amount or split is wrong; the paragraph is taken; a case is not ready.
    """
    if not cases:
        raise DecisionRefusedError(_("Välj minst ett ärende."))
    if kind not in DecisionKind.values:
        raise DecisionRefusedError(_("Välj vilket beslut som fattas."))
    if not reason.strip():
        raise DecisionRefusedError(_("Skriv beslutets motivering."))
    if not str(paragraph).strip():
        raise DecisionRefusedError(_("Ange paragrafnummer (§)."))
    cases = list(Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]).order_by("pk"))
    municipality_ids = {case.municipality_id for case in cases}
    if len(municipality_ids) != 1:
        raise DecisionRefusedError(_("Ett beslut gäller ärenden i en och samma kommun."))
    rules = cases[0].rules
    if len(cases) > 1 and not rules.stages["decision"].get("may_decide_group"):
        raise DecisionRefusedError(_("Regelverket medger inte att flera ärenden beslutas som en helhet."))
    if not user.has_role(rules.decision_role) or user.municipality_id not in municipality_ids:
        raise DecisionRefusedError(
            _("Bara %(body)s kan fatta beslutet.") % {"body": rules.body_name(rules.decision_role)}
        )
    amounts = amounts or {}
    for case in cases:
        total, years = amounts.get(case.pk, (None, {}))
        _check_amounts(case, kind, total, years)
    if kind == DecisionKind.REJECT and not referral:
        referral = rules.stages["decision"].get("on_rejection", "")
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                municipality_id=cases[0].municipality_id,
                body=rules.body_name(rules.decision_role),
                meeting_date=meeting_date,
                paragraph=str(paragraph).strip(),
                kind=kind,
                conditions=conditions,
                reason=reason,
                referral=referral,
                recorded_by=user,
            )
    except IntegrityError as error:
        raise DecisionRefusedError(
            _("§ %(paragraph)s vid sammanträdet %(date)s är redan använd.")
            % {"paragraph": paragraph, "date": meeting_date.isoformat()}
        ) from error
    for case in cases:
        total, years = amounts.get(case.pk, (None, {}))
        line = DecisionLine.objects.create(
            decision=decision, case=case, total_amount=total if kind in GRANTING_KINDS else None
        )
        DecisionYear.objects.bulk_create([DecisionYear(line=line, year=y, amount=a) for y, a in sorted(years.items())])
        if kind in GRANTING_KINDS:
            _commit_to_fund(case, decision, total, years, user)
        run_transition(
            case,
            TRANSITION_OF_KIND[kind],
            user,
            reason=_("%(decision)s: %(reason)s") % {"decision": decision, "reason": reason},
            new_end=new_end,
        )
        record(
            case,
            "decision.recorded",
            actor=user,
            data={"decision": str(decision), "kind": kind, "total": str(total or "")},
        )
    return decision


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
        DecisionKind.EXTEND: _("%(body)s beslutar att förlänga insatsen."),
    }
    return texts[decision.kind] % {"body": decision.body}


def next_steps(case):
    """What a granted project does next, from its rule set's start stage."""
    start = case.rules.stages["start"]
    steps = [str(spec.name) for spec in case.rules.step_specs("start")]
    steps += list(start.get("organisation", []))
    return steps or [_("Projektet kan starta enligt planen i ansökan.")]


def issue_decision_documents(decision, user):
    """The minutes extract and the letter to the applicants, for each case of the decision."""
    documents = []
    lines = list(
        decision.lines.select_related("case__applicant_unit", "case__ruleset_version").prefetch_related("years")
    )
    for line in lines:
        case = line.case
        common = {
            "lines": lines,
            "line": line,
            "decision_text": decision_text(decision),
            "guideline_title": case.rules.document["guideline"]["title"],
            "ruleset_number": case.ruleset_version.number,
        }
        documents.append(
            issue(
                DocumentKind.DECISION,
                user=user,
                title=_("Protokollsutdrag %(decision)s, %(case)s") % {"decision": decision, "case": case.number},
                context={**common, "document_label": _("Protokollsutdrag")},
                municipality=decision.municipality,
                case=case,
                decision=decision,
            )
        )
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
            "goal_items": [(g, chosen_goals(case, g)) for g in case.rules.goal_lists if g["goals"]],
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
