"""Whose signatures an application needs under its rule set, who may give them, and what they sign.

A unit is signed for by the person the municipality's admin designated as its head (the rule set
names the title: förvaltningschef, sektorschef, kontorschef) or by one of its named deputies. A
partner (external actor) signs itself; until partners have accounts, the municipality records
the partner's signature from a signed paper document.
"""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.models import OrganisationalUnit
from municipalities.rulebook.enums import SignatureWhen, Signer

from .enums import CaseState, state_clause
from .rules import is_case_applicant


@dataclass(frozen=True)
class SignatureRequirement:
    key: str  # "unit:<id>" or "actor:<id>"
    signed_for: str
    unit_id: int | None
    actor_id: int | None
    when: SignatureWhen
    description: str
    cite: str
    head_title: str = ""  # förvaltningschef
    head_title_definite: str = ""  # förvaltningschefen


SIGNABLE_STATES = [
    CaseState.DRAFT,
    CaseState.RETURNED,
    CaseState.SUBMITTED,
    CaseState.RESUBMITTED,
    CaseState.IN_PREPARATION,
]

# The parts of the application a signature covers, with the words the case history uses when one
# of them changes after signing.
CONTENT_PARTS = {
    "content": gettext_lazy("innehållet"),
    "costs": gettext_lazy("kostnaderna"),
    "participants": gettext_lazy("de medverkande"),
    "attachments": gettext_lazy("bilagorna"),
}


def signed_content(case):
    """What a signature covers, part by part: any change to a part voids every signature."""
    return {
        "content": {
            "title": case.title,
            "period": [str(case.period_start), str(case.period_end)],
            "ages": [case.target_min_age, case.target_max_age],
            "sections": case.sections,
            "declarations": case.declarations,
            "measurement_plan": case.measurement_plan,
            "goals": case.goals,
            "decision_round": case.decision_round_id,
            "structured_plan": _structured_plan(case),
        },
        "costs": [[cost.year, str(cost.amount)] for cost in sorted(case.costs.all(), key=lambda c: c.year)],
        "participants": {
            "applicant_unit": case.applicant_unit_id,
            "units": sorted(unit.pk for unit in case.units.all()),
            "external_actors": sorted(actor.pk for actor in case.external_actors.all()),
        },
        "attachments": sorted([a.pk, a.original_name, a.size] for a in case.attachments.all()),
    }


def _structured_plan(case):
    """The structured mätplan made on the evaluation pages, which the application may rely on.
    Read through the reverse relation so this module does not import the evaluation app."""
    plan = getattr(case, "structured_plan", None)
    if plan is None:
        return None
    indicators = sorted(
        [i.pk, i.name, i.kind, i.unit, i.measurement_times]
        + [str(value) for value in (i.baseline_value, i.baseline_date, i.target_value)]
        for i in plan.indicators.all()
    )
    return [plan.goals, plan.activities, plan.comparison, plan.comparison_description, indicators]


def content_fingerprint(case, content=None):
    """SHA-256 of what the applicants wrote and attached: any change to it gives another fingerprint."""
    content = signed_content(case) if content is None else content
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_parts(before, after):
    """The names of the parts that differ between two ``signed_content`` results."""
    return [str(label) for part, label in CONTENT_PARTS.items() if before[part] != after[part]]


def signing_unit(unit, kind):
    """The unit whose head signs for ``unit``: the unit itself if it is of ``kind`` (or no kind is
    named), else its nearest superior of that kind (a verksamhet's förvaltning), else the one unit
    of that kind under it (a nämnd's förvaltning), else the unit itself."""
    if kind is None or unit.kind == kind:
        return unit
    node = unit.parent
    while node is not None:
        if node.kind == kind:
            return node
        node = node.parent
    below = [child for child in unit.children.all() if child.kind == kind]
    return below[0] if len(below) == 1 else unit


def required_signatures(case):
    """The signatures the rule set asks of this application, one per signing unit or actor."""
    excluded = set(case.rules.eligibility.excluded_actor_kinds)
    requirements = {}
    for rule in case.rules.application.signatures:
        if rule.signer == Signer.APPLICANT_UNIT_HEAD:
            units = [case.applicant_unit] if case.applicant_unit else []
        elif rule.signer == Signer.AFFECTED_UNIT_HEADS:
            units = [case.applicant_unit, *case.units.all()] if case.applicant_unit else list(case.units.all())
        else:
            units = []
        for affected in units:
            unit = signing_unit(affected, rule.head_unit_kind)
            key = f"unit:{unit.pk}"
            requirements.setdefault(
                key,
                SignatureRequirement(
                    key,
                    unit.name,
                    unit.pk,
                    None,
                    rule.when,
                    rule.description,
                    rule.cite,
                    rule.head_title,
                    rule.head_title_definite,
                ),
            )
        if rule.signer == Signer.EXTERNAL_ACTOR_HEADS:
            for actor in case.external_actors.all():
                if actor.kind not in excluded:
                    key = f"actor:{actor.pk}"
                    requirements.setdefault(
                        key,
                        SignatureRequirement(key, actor.name, None, actor.pk, rule.when, rule.description, rule.cite),
                    )
    return list(requirements.values())


def signing_unit_ids(case):
    return [r.unit_id for r in required_signatures(case) if r.unit_id]


def valid_signatures(case):
    return {signature.requirement: signature for signature in case.signatures.all() if signature.is_valid}


def missing_signatures(case, when=None):
    valid = valid_signatures(case)
    return [r for r in required_signatures(case) if r.key not in valid and (when is None or r.when == when)]


def _signable(case, requirement):
    """(allowed, reason) as far as the case goes: its state, and whether it is signed already."""
    if case.state not in SIGNABLE_STATES:
        return False, _("Ansökan kan inte skrivas under när %(state)s.") % {"state": state_clause(case.state)}
    if requirement.key in valid_signatures(case):
        return False, _("%(name)s har redan skrivit under.") % {"name": requirement.signed_for}
    return True, ""


def signer_capacity(requirement, unit, user):
    """What the signer signs as: "förvaltningschef för X" or "ersättare för förvaltningschefen
    för X"; empty if the user is neither the unit's head nor a named deputy."""
    if user.pk == unit.head_id:
        return _("%(title)s för %(unit)s") % {"title": requirement.head_title, "unit": unit.name}
    if any(deputy.pk == user.pk for deputy in unit.deputies.all()):
        return _("ersättare för %(title)s för %(unit)s") % {
            "title": requirement.head_title_definite,
            "unit": unit.name,
        }
    return ""


def unit_of(requirement):
    return OrganisationalUnit.objects.select_related("head").prefetch_related("deputies").get(pk=requirement.unit_id)


def may_sign(case, requirement, user):
    """(allowed, reason). Only the unit's designated head or a named deputy signs for a unit. A
    partner signs itself, never a municipal employee in its name: its signature is recorded from
    paper (``may_record_paper_signature``)."""
    if requirement.actor_id:
        return False, _("%(actor)s skriver under själv. Registrera ansökan som aktören har undertecknat på papper.") % {
            "actor": requirement.signed_for
        }
    unit = unit_of(requirement)
    if unit.head_id is None:
        return False, _(
            "%(unit)s har ingen utsedd %(title)s. Kommunens administratör utser chefen under ”Enheter och chefer”."
        ) % {"unit": unit.name, "title": requirement.head_title}
    if user.municipality_id != case.municipality_id or not signer_capacity(requirement, unit, user):
        return False, _("Bara %(title)s för %(unit)s (%(head)s) eller en utsedd ersättare kan skriva under.") % {
            "title": requirement.head_title,
            "unit": unit.name,
            "head": unit.head,
        }
    return _signable(case, requirement)


def may_record_paper_signature(case, requirement, user):
    """(allowed, reason). A partner's signature on paper is recorded by a municipal employee who
    takes part in the case, or by the preparing group."""
    if not requirement.actor_id:
        return False, _("En enhets underskrift ges i Fonden av enhetens chef eller en utsedd ersättare.")
    rules = case.rules
    participant = is_case_applicant(user, case)
    if user.municipality_id != case.municipality_id or not (participant or user.has_role(rules.preparation_role)):
        return False, _("Bara sökande i ärendet eller %(body)s kan registrera en underskrift på papper.") % {
            "body": rules.body_name(rules.preparation_role)
        }
    return _signable(case, requirement)
