"""Creating a case and writing its content: what the applicant writes, and the attachments. A change
after signing voids the signatures (``signing.void_signatures_after_change``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from core.uploads import upload_problem

from ..enums import CaseState
from ..models import Case, CaseAttachment, CaseCost
from ..rules import is_case_applicant
from . import TransitionRefusedError, lock_case
from .signing import signed_content_if_signed, void_signatures_after_change

S = CaseState


def _ensure_editor(case, user):
    if not is_case_applicant(user, case):
        raise PermissionDenied(_("Bara sökande som deltar i ärendet kan ändra det."))
    if not case.is_editable:
        raise TransitionRefusedError(
            _("Ärendet kan inte ändras när dess status är ”%(state)s”.") % {"state": case.get_state_display()}
        )


@transaction.atomic
def create_case(user, *, title, applicant_unit=None):
    """A new case in the user's municipality under the rule set in force: an idea where the rule
    set has idea review, otherwise an application draft."""
    municipality = user.municipality
    ruleset = municipality.active_ruleset if municipality else None
    if ruleset is None or not user.has_role(ruleset.rules.applicant_role):
        raise PermissionDenied(_("Bara sökande i en kommun med ett gällande regelverk kan skapa ärenden."))
    uses_idea = ruleset.rules.uses_idea_stage
    case = Case.objects.create(
        municipality=municipality,
        ruleset_version=ruleset,
        state=S.IDEA_DRAFT if uses_idea else S.DRAFT,
        title=title,
        created_by=user,
        applicant_unit=applicant_unit or user.unit,
    )
    record(case, "case.created", actor=user, to_state=case.state)
    return case


@transaction.atomic
def save_case(case, user, *, fields, units=None, external_actors=None, costs=None, expected_state=None):
    """Save what the applicant wrote, complete or not (a draft may be saved at any time).
    ``costs`` maps year to amount and replaces the earlier costs."""
    case = lock_case(case)
    if expected_state and case.state != expected_state:
        raise TransitionRefusedError(_("Ärendet har ändrats av någon annan. Ladda om sidan och försök igen."))
    _ensure_editor(case, user)
    before = signed_content_if_signed(case)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    if units is not None:
        case.units.set(units)
    if external_actors is not None:
        case.external_actors.set(external_actors)
    if costs is not None:
        case.costs.all().delete()
        case.costs.bulk_create(
            [CaseCost(case=case, year=year, amount=amount) for year, amount in sorted(costs.items())]
        )
    record(case, "case.saved", actor=user, data={"fields": sorted(fields)})
    void_signatures_after_change(case, user, before)
    return case


@transaction.atomic
def add_attachment(case, user, upload, *, max_mb):
    case = lock_case(case)
    _ensure_editor(case, user)
    problem = upload_problem(upload, max_mb)
    if problem:
        raise TransitionRefusedError(problem)
    before = signed_content_if_signed(case)
    attachment = CaseAttachment.create_from_upload(upload, case=case, uploaded_by=user)
    record(case, "case.attachment", actor=user, data={"file": attachment.original_name, "size": attachment.size})
    void_signatures_after_change(case, user, before)
    return attachment


@transaction.atomic
def remove_attachment(case, user, attachment_id):
    """Remove an attachment from an application that can still be changed. Voids every signature
    given while it was attached. Side effects: deletes the file once the transaction commits."""
    case = lock_case(case)
    _ensure_editor(case, user)
    attachment = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise TransitionRefusedError(_("Bilagan finns inte i ärendet."))
    before = signed_content_if_signed(case)
    name, file = attachment.original_name, attachment.file
    attachment.delete()
    record(case, "case.attachment_removed", actor=user, data={"file": name})
    void_signatures_after_change(case, user, before)
    transaction.on_commit(lambda: file.delete(save=False))
    return name
