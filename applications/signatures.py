"""Whose signatures an application needs under its rule set, and the signing itself."""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import CaseState


@dataclass(frozen=True)
class SignatureRequirement:
    key: str  # "unit:<id>" or "actor:<id>"
    signed_for: str
    unit_id: int | None
    actor_id: int | None
    when: str  # "before_submission" or "in_preparation"
    description: str
    cite: str


def content_fingerprint(case):
    """SHA-256 of what the applicants wrote: any change to it gives another fingerprint."""
    content = {
        "title": case.title,
        "applicant_unit": case.applicant_unit_id,
        "units": sorted(unit.pk for unit in case.units.all()),
        "external_actors": sorted(actor.pk for actor in case.external_actors.all()),
        "period": [str(case.period_start), str(case.period_end)],
        "ages": [case.target_min_age, case.target_max_age],
        "sections": case.sections,
        "declarations": case.declarations,
        "measurement_plan": case.measurement_plan,
        "goals": case.goals,
        "costs": [[cost.year, str(cost.amount)] for cost in sorted(case.costs.all(), key=lambda c: c.year)],
        "decision_round": case.decision_round_id,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def required_signatures(case):
    """The signatures the rule set asks of this application, one per unit or actor concerned."""
    excluded = set(case.rules.eligibility["excluded_actor_kinds"])
    requirements = {}
    for rule in case.rules.document["application"]["signatures"]:
        when = rule.get("when", "before_submission")
        if rule["signer"] == "applicant_unit_head":
            units = [case.applicant_unit] if case.applicant_unit else []
        elif rule["signer"] == "affected_unit_heads":
            units = [case.applicant_unit, *case.units.all()] if case.applicant_unit else list(case.units.all())
        else:
            units = []
        for unit in units:
            key = f"unit:{unit.pk}"
            requirements.setdefault(
                key, SignatureRequirement(key, unit.name, unit.pk, None, when, rule["description"], rule["cite"])
            )
        if rule["signer"] == "external_actor_heads":
            for actor in case.external_actors.all():
                if actor.kind not in excluded:
                    key = f"actor:{actor.pk}"
                    requirements.setdefault(
                        key,
                        SignatureRequirement(key, actor.name, None, actor.pk, when, rule["description"], rule["cite"]),
                    )
    return list(requirements.values())


def valid_signatures(case):
    return {signature.requirement: signature for signature in case.signatures.all() if signature.is_valid}


def missing_signatures(case, when=None):
    valid = valid_signatures(case)
    return [r for r in required_signatures(case) if r.key not in valid and (when is None or r.when == when)]


def may_sign(case, requirement, user):
    """(allowed, reason). A unit is signed for by applicant-side staff of that unit (its head);
    an external actor's signature is recorded by a participant of the case."""
    from .conditions import is_case_participant  # conditions → checks → signatures: imported late

    signable = [
        CaseState.DRAFT,
        CaseState.RETURNED,
        CaseState.SUBMITTED,
        CaseState.RESUBMITTED,
        CaseState.IN_PREPARATION,
    ]
    if user.municipality_id != case.municipality_id or not user.has_role(case.rules.applicant_role):
        return False, _("Bara chefer på de berörda enheterna kan skriva under.")
    if case.state not in signable:
        return False, _("Ansökan kan inte skrivas under när ärendet är %(state)s.") % {
            "state": case.get_state_display()
        }
    if requirement.key in valid_signatures(case):
        return False, _("%(name)s har redan skrivit under.") % {"name": requirement.signed_for}
    if requirement.unit_id and user.unit_id != requirement.unit_id:
        return False, _("Bara chefen för %(unit)s kan skriva under för enheten.") % {"unit": requirement.signed_for}
    if requirement.actor_id and not is_case_participant(case, user):
        return False, _("Bara sökande i ärendet kan registrera en extern aktörs underskrift.")
    return True, ""
