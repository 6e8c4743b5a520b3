"""What the decision documents state beyond the decision itself, read from the floors below: who
the decision is sent to (beslutet skickas till, expedieras till), who handled the case
(handläggare), the preparation's proposal (förslag till beslut), and what the tjänsteskrivelse
sets beside the application's sections: the consulted nämnder's answers, the reviews' scores and
the calculation's key figures. Nothing here writes.

The texts are the municipality's record and always Swedish, like the documents that print them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.enums import Role
from applications.enums import StepStatus
from consultations.models import Consultation
from core.formatting import format_kronor, format_number
from evaluation.enums import CalculationKind
from evaluation.models import CalculationSnapshot
from reviews.models import ReviewAssignment
from reviews.selectors import answer_text, case_summary

from .models import DocumentKind, IssuedDocument, Proposal

# A unit's head is looked for this many levels up (verksamhet → förvaltning → nämnd).
HEAD_LEVELS = 3


def unit_head(unit):
    """The unit's designated head, or the nearest one above it; None where no unit up the line
    has one."""
    for _level in range(HEAD_LEVELS):
        if unit is None:
            return None
        if unit.head_id:
            return unit.head
        unit = unit.parent
    return None


def person_line(user, unit=None):
    """A person as a letter names them: "Helena Huvudman, förvaltningschef, Barn- och
    utbildningsförvaltningen"; without a title, the unit they head."""
    if user.title:
        return f"{user.full_name}, {user.title}"
    if unit is not None:
        return _("%(name)s, chef för %(unit)s") % {"name": user.full_name, "unit": unit.name}
    return user.full_name


def recipients(case):
    """Whom the decision on ``case`` is sent to, one line each and each once: the applicant and
    their unit, the head of the applicant unit and of every participating unit, the participating
    external actors, and the body that keeps the fund's accounts where the rule set names one
    (its controller). The tjänsteskrivelse ends with this list (Beslutet skickas till), the
    minutes extract too (Expedieras till)."""
    with translation.override("sv"):
        lines = []
        if case.applicant_unit:
            lines.append(
                _("%(unit)s, %(applicant)s (sökande)")
                % {"unit": case.applicant_unit.name, "applicant": case.created_by.full_name}
            )
        else:
            lines.append(_("%(applicant)s (sökande)") % {"applicant": case.created_by.full_name})
        heads = []
        for unit in [case.applicant_unit, *case.units.all()]:
            head = unit_head(unit)
            if head is None:
                if unit is not None and unit != case.applicant_unit:
                    lines.append(unit.name)
                continue
            if head.pk not in heads:
                heads.append(head.pk)
                lines.append(person_line(head, unit))
        lines += [actor.name for actor in case.external_actors.all()]
        if Role.CONTROLLER in case.rules.bodies:
            lines.append(case.rules.body_name(Role.CONTROLLER))
        return list(dict.fromkeys(lines))


@dataclass(frozen=True)
class Officer:
    """The handläggare a document names, with how to reach them."""

    name: str
    title: str
    unit: str
    email: str


def officer(user):
    return Officer(user.full_name, user.title, user.unit.name if user.unit_id else "", user.email)


def case_officer(case):
    """Who handled the case for the decision body: the author of its latest tjänsteskrivelse,
    else whoever did the last preparation step of the body that issues it (else of any body);
    None before anyone has."""
    basis = (
        IssuedDocument.objects.filter(case=case, kind=DocumentKind.DECISION_BASIS)
        .select_related("issued_by__unit")
        .order_by("-issued_at", "-id")
        .first()
    )
    if basis is not None:
        return officer(basis.issued_by)
    done = [step for step in case.current_steps("preparation") if step.done_by_id]
    by_issuer = [step for step in done if step.actor_role == case.rules.decision_basis_role]
    done = by_issuer or done
    if done:
        last = max(done, key=lambda step: (step.done_at, step.pk))
        return officer(last.done_by)
    return None


def asked_total(case):
    """The sum the application asks for, over its years."""
    return sum((cost.amount for cost in case.costs.all()), Decimal(0))


def _years_text(case):
    costs = [f"{cost.year} {format_kronor(cost.amount)}" for cost in case.costs.all()]
    if len(costs) > 1:
        return _("%(first)s och %(last)s") % {"first": ", ".join(costs[:-1]), "last": costs[-1]}
    return "".join(costs)


def default_proposal(case):
    """The proposal the preparation's record supports, worded as the decision body would decide
    it: to reject where a preparation step said no, otherwise to grant the sum asked for, over the
    project's period and split per year as applied for. The preparer may reword it."""
    with translation.override("sv"):
        rules = case.rules
        values = {
            "body": rules.body_name(rules.decision_role),
            "title": case.title,
            "number": case.number,
            "unit": case.applicant_unit.name if case.applicant_unit else case.created_by.full_name,
        }
        declined = [step for step in case.current_steps("preparation") if step.status == StepStatus.DECLINED]
        if declined:
            return _("%(body)s avslår ansökan ”%(title)s” (%(number)s).") % values
        text = _(
            "%(body)s beviljar %(unit)s %(amount)s ur den sociala investeringsfonden för insatsen ”%(title)s” "
            "(%(number)s)."
        ) % {**values, "amount": format_kronor(asked_total(case))}
        if case.period_start and case.end_date:
            text += " " + _("Insatsen genomförs %(start)s–%(end)s.") % {
                "start": case.period_start.isoformat(),
                "end": case.end_date.isoformat(),
            }
        if case.costs.all():
            text += " " + _("Beloppet fördelas preliminärt per år: %(years)s.") % {"years": _years_text(case)}
        return text


def latest_proposal(case):
    return Proposal.objects.filter(case=case).select_related("written_by").first()


def proposal_text(case):
    """The proposal the next tjänsteskrivelse prints: the latest written, else the default."""
    proposal = latest_proposal(case)
    return proposal.text if proposal else default_proposal(case)


def consultation_answers(case):
    """The consulted nämnder and their answers, in the order asked."""
    return list(
        Consultation.objects.filter(case=case)
        .select_related("unit", "answered_by", "delegate")
        .order_by("requested_at", "id")
    )


def review_scores(case):
    """The reviews' result as the tjänsteskrivelse prints it: per criterion the mean score (or the
    share of yes), the weighted total and the recommendation; None before any review is in."""
    prefetch_related_objects(
        [case], Prefetch("review_assignments", queryset=ReviewAssignment.objects.select_related("review"))
    )
    _stage, summary = case_summary(case)
    if summary is None:
        return None
    rows = []
    for result in summary.results:
        if not result.count:
            continue
        if result.criterion.is_score:
            value = _("%(mean)s av %(max)s") % {
                "mean": format_number(result.mean, 1),
                "max": result.criterion.scale_max,
            }
        else:
            value = _("%(share)s %% ja") % {"share": format_number(result.yes_share)}
        rows.append({"criterion": result.criterion, "value": value, "gate": result.criterion.gate})
    return {
        "reviewers": summary.reviewers,
        "rows": rows,
        "total": format_number(summary.total, 1) if summary.total is not None else "",
        "recommendation": str(summary.recommendation_label),
        "answer_text": answer_text,
    }


# The calculation the decision rests on: the one decided if there is one, else the forecast.
BASIS_CALCULATIONS = [CalculationKind.DECIDED, CalculationKind.FORECAST]


def key_figures(case):
    """The saved calculation's key figures as (label, value) pairs, read from its stored results:
    net present value for society and for the municipality, benefit per krona, payback and the
    probability of a positive result. None without a saved calculation."""
    snapshots = {
        snapshot.kind: snapshot
        for snapshot in CalculationSnapshot.objects.filter(case=case, kind__in=BASIS_CALCULATIONS).order_by("number")
    }
    snapshot = next((snapshots[kind] for kind in BASIS_CALCULATIONS if kind in snapshots), None)
    if snapshot is None:
        return None
    results, inputs = snapshot.results, snapshot.inputs

    def number(key):
        value = results.get(key)
        return None if value in (None, "") else Decimal(str(value))

    with translation.override("sv"):
        figures = [
            (_("Nettonuvärde för samhället"), format_kronor(number("npv"))),
            (_("Nettonuvärde för kommunen"), format_kronor(number("municipal_npv"))),
        ]
        if number("benefit_cost_ratio") is not None:
            figures.append((_("Nytta per satsad krona"), format_number(number("benefit_cost_ratio"), 2)))
        if number("payback_years") is not None:
            figures.append(
                (_("Återbetalningstid"), _("%(years)s år") % {"years": format_number(number("payback_years"), 1)})
            )
        monte_carlo = results.get("monte_carlo") or {}
        if monte_carlo.get("probability_positive") not in (None, ""):
            share = Decimal(str(monte_carlo["probability_positive"])) * 100
            figures.append((_("Sannolikhet för positivt nettonuvärde"), f"{format_number(share, 0)} %"))
        figures.append(
            (
                _("Diskonteringsränta och kalkylperiod"),
                _("%(rate)s %%, %(years)s år")
                % {
                    "rate": format_number(inputs.get("discount_rate")),
                    "years": inputs.get("horizon", ""),
                },
            )
        )
        return {
            "label": CalculationKind(snapshot.kind).label,
            "version": snapshot.number,
            "saved_at": snapshot.saved_at,
            "figures": figures,
        }
