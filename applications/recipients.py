"""Who is told about a case: the people behind each of its waits (``selectors.Waiting``), the people
who take part in it, the heads of its units, and those its rule set keeps informed of a stage.
Nothing here writes; ``applications.services.notices`` tells them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from municipalities.units import upwards

from .rules import is_case_participant


def _people():
    return get_user_model().objects.filter(is_active=True).prefetch_related("role_assignments")


def people_waited_on(case, waiting):
    """The active people ``waiting`` is for, as ``selectors.waiting_on_user`` tells them one by one
    (a test keeps the two equal): the named people where the wait names them; the designated head
    and deputies of the unit for a unit's signature; otherwise the holders of the role in the
    case's municipality, of the wait's unit where it gives one (a nämnd representative for their
    own nämnd only) and, for the applicant role, only those who take part in the case."""
    if waiting.people:
        return list(_people().filter(pk__in=waiting.people).order_by("pk"))
    if waiting.signs_for_unit and waiting.unit_id:
        signers = Q(headed_units=waiting.unit_id) | Q(deputy_for_units=waiting.unit_id)
        return list(_people().filter(signers).distinct().order_by("pk"))
    if not waiting.role:
        return []
    holders = _people().filter(municipality_id=case.municipality_id, role_assignments__role=waiting.role)
    if waiting.unit_id and waiting.role == "board":
        holders = holders.filter(unit_id=waiting.unit_id)
    elif waiting.unit_id:
        holders = holders.filter(Q(unit_id=waiting.unit_id) | Q(unit__isnull=True))
    holders = holders.distinct().order_by("pk")
    if waiting.role == "applicant":
        return [person for person in holders if is_case_participant(person, case)]
    return list(holders)


def case_applicants(case):
    """Who applies in the case: its creator and the holders of the applicant role at the applying
    unit or a participating unit, each once (the people told of the case's outcome)."""
    units = [case.applicant_unit_id, *(unit.pk for unit in case.units.all())]
    applicants = _people().filter(
        municipality_id=case.municipality_id,
        role_assignments__role=case.rules.applicant_role,
        unit_id__in=[pk for pk in units if pk],
    )
    creator = [case.created_by] if case.created_by.is_active else []
    return list(dict.fromkeys([*creator, *applicants.distinct().order_by("pk")]))


def unit_heads(case):
    """The head of each unit taking part in the case (the applying unit first): the unit's
    designated head, or where it has none the nearest head above it (a verksamhet's
    förvaltningschef), each once."""
    heads = []
    for unit in [case.applicant_unit, *case.units.all()]:
        head = next((node.head for node in upwards(unit) if node.head_id), None) if unit else None
        if head is not None and head.is_active:
            heads.append(head)
    return list(dict.fromkeys(heads))


def decision_letter_recipients(case):
    """Who the decision letter is sent to: the applicant (the case's creator) and every
    participating unit's head, those with an e-mail address, each once."""
    people = [case.created_by] if case.created_by.is_active else []
    return [person for person in dict.fromkeys([*people, *unit_heads(case)]) if person.email]


def stage_followers(case, stage):
    """The holders of the roles the case's rule set keeps informed of ``stage`` (Sundsvall: PLU
    follows every project), in the case's municipality."""
    roles = case.rules.stage_informed_roles(stage) if stage else []
    if not roles:
        return []
    followers = _people().filter(municipality_id=case.municipality_id, role_assignments__role__in=roles)
    return list(followers.distinct().order_by("pk"))
