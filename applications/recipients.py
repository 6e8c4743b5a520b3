"""Who is told about a case: the people behind each of its waits (``selectors.Waiting``), the people
who take part in it, the heads of its units, and those its rule set keeps informed of a stage.
Nothing here writes; ``applications.services.notices`` tells them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from municipalities.units import upwards

from .selectors import _waits_on as waits_on  # the one predicate of whom a wait is for


def _people():
    return get_user_model().objects.filter(is_active=True).prefetch_related("role_assignments")


def people_waited_on(case, waiting):
    """The active people ``waiting`` is for: those ``selectors.waits_on_user`` finds it waiting on,
    one by one (its one predicate decides), among the people it can be for: the named people
    where the wait names them; the designated head and deputies of the unit for a unit's
    signature; otherwise the holders of the role in the case's municipality."""
    if waiting.people:
        candidates = _people().filter(pk__in=waiting.people)
    elif waiting.signs_for_unit and waiting.unit_id:
        candidates = _people().filter(Q(headed_units=waiting.unit_id) | Q(deputy_for_units=waiting.unit_id))
    elif waiting.role:
        candidates = _people().filter(municipality_id=case.municipality_id, role_assignments__role=waiting.role)
    else:
        return []
    candidates = candidates.select_related("unit__parent__parent").distinct().order_by("pk")
    return [person for person in candidates if waits_on(waiting, case, person)]


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
