"""A granted project's organisation: who may set it, and setting it. Side effects are named in
each function's docstring."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import RUNNING_STATES, CaseState
from applications.models import Case
from applications.rules import is_case_applicant
from applications.services import TransitionRefusedError
from audit.services import record

from .enums import ProjectRole
from .models import ProjectMember
from .organisation import project_owners

# A project's organisation is set from the grant until it ends (an abort only proposed still runs).
ORGANISATION_STATES = [CaseState.GRANTED, CaseState.STARTING, *RUNNING_STATES, CaseState.ABORT_PROPOSED]


def may_organise(case, user):
    """(allowed, reason) for setting the project organisation and plan: the applicants taking part
    in the case, the project's owners and the preparing group, while the project lives."""
    if case.state not in ORGANISATION_STATES:
        return False, _("Projektorganisationen kan bara ändras från beviljande till projektslut.")
    if user.municipality_id != case.municipality_id:
        return False, _("Ärendet tillhör en annan kommun.")
    rules = case.rules
    if user.has_role(rules.preparation_role) or any(owner.pk == user.pk for owner in project_owners(case)):
        return True, ""
    if is_case_applicant(user, case):
        return True, ""
    return False, _("Bara de sökande, projektägaren eller %(body)s kan ändra projektorganisationen.") % {
        "body": rules.body_name(rules.preparation_role)
    }


def ensure_project_manager(case):
    """A project that begins its start gets the applicant as project manager until another is named."""
    if not case.project_members.filter(role=ProjectRole.MANAGER).exists():
        ProjectMember.objects.create(case=case, role=ProjectRole.MANAGER, user=case.created_by)


def _organisation_summary(case):
    return {
        role.value: sorted(str(m.user) for m in case.project_members.all() if m.role == role) for role in ProjectRole
    }


def set_project_organisation(case, user, *, manager, owners=(), group=(), steering=()):
    """Replace the project organisation: one manager, owners (förvaltningschefer), a project group
    of one person per participating party (the person's unit is the party they represent) and a
    steering group. Everyone must belong to the case's municipality.

    Refuses (TransitionRefusedError) a user who may not organise the project, and
    (ValidationError, by field) a person of another municipality or two group members for one
    party. Side effects: the case's ProjectMember rows; the history records before and after.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        allowed, reason = may_organise(case, user)
        if not allowed:
            raise TransitionRefusedError(reason)
        chosen = {"manager": [manager], "owners": list(owners), "group": list(group), "steering": list(steering)}
        errors = {}
        for field, people in chosen.items():
            foreign = [str(p) for p in people if p is not None and p.municipality_id != case.municipality_id]
            if foreign:
                errors[field] = _("%(people)s hör inte till %(municipality)s.") % {
                    "people": ", ".join(foreign),
                    "municipality": case.municipality.name,
                }
        if manager is None:
            errors["manager"] = _("Ange projektledare.")
        parties = {}
        for person in chosen["group"]:
            if person.unit_id in parties and "group" not in errors:
                errors["group"] = _("%(a)s och %(b)s företräder samma part (%(unit)s); en person per part.") % {
                    "a": parties[person.unit_id],
                    "b": person,
                    "unit": person.unit.name if person.unit_id else _("ingen enhet"),
                }
            parties[person.unit_id] = person
        if errors:
            raise ValidationError(errors)
        before = _organisation_summary(case)
        case.project_members.all().delete()
        roles = {
            ProjectRole.MANAGER: chosen["manager"],
            ProjectRole.OWNER: chosen["owners"],
            ProjectRole.GROUP: chosen["group"],
            ProjectRole.STEERING: chosen["steering"],
        }
        ProjectMember.objects.bulk_create(
            ProjectMember(
                case=case, role=role, user=person, unit_id=person.unit_id if role == ProjectRole.GROUP else None
            )
            for role, people in roles.items()
            for person in dict.fromkeys(people)
        )
        case = Case.objects.prefetch_related("project_members__user").get(pk=case.pk)
        record(case, "project.organisation", actor=user, data={"before": before, "after": _organisation_summary(case)})
    return case
