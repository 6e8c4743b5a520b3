"""Who may change what in a case's evaluation. Each function returns (allowed, reason); the reason
tells the user why not. Seeing the pages at all is decided by Case.objects.visible_to."""

from django.utils.translation import gettext as _

from accounts.enums import Role
from applications.conditions import is_case_participant
from applications.enums import CaseState
from projects.organisation import is_reporter

from .enums import CalculationKind


def is_fund_staff(user, municipality_id):
    """The preparing group or a controller of the municipality (or a system admin)."""
    if user.is_superuser:
        return True
    return user.municipality_id == municipality_id and (user.has_role(Role.PREPARER) or user.has_role(Role.CONTROLLER))


def is_case_applicant(user, case):
    return user.has_role(case.rules.applicant_role) and is_case_participant(case, user)


def may_edit_calculation(user, case, kind):
    """Preparers and controllers edit every calculation; applicants the förkalkyl of their own
    case while the application can be edited."""
    if is_fund_staff(user, case.municipality_id):
        return True, ""
    if kind == CalculationKind.FORECAST and is_case_applicant(user, case):
        if case.is_editable:
            return True, ""
        return False, _("Förkalkylen kan bara ändras medan ansökan kan ändras.")
    return False, _("Bara den beredande gruppen och controllern ändrar den här kalkylen.")


def may_edit_plan(user, case):
    """Applicants write the plan with the application and complete it at the project's start,
    where the rule set asks for a plan for follow-up before start (Ale, Sundsvall, Ystad...)."""
    if is_fund_staff(user, case.municipality_id):
        return True, ""
    if is_case_applicant(user, case):
        if case.is_editable or case.state == CaseState.STARTING:
            return True, ""
        return False, _("Mätplanen kan bara ändras av sökande medan ansökan kan ändras eller projektet startar.")
    return False, _("Bara sökande och den beredande gruppen ändrar mätplanen.")


def may_enter_values(user, case):
    """The project (its applicants, manager and owners) and the fund's staff enter measured values."""
    if is_fund_staff(user, case.municipality_id) or is_case_applicant(user, case) or is_reporter(case, user):
        return True, ""
    return False, _("Bara projektet och den beredande gruppen för in mätvärden.")


def may_edit_evaluation(user, case):
    if is_fund_staff(user, case.municipality_id) or is_case_applicant(user, case):
        return True, ""
    return False, _("Bara projektet och den beredande gruppen skriver utvärderingen.")


def may_edit_unit_costs(user, municipality_id):
    if is_fund_staff(user, municipality_id):
        return True, ""
    return False, _("Bara den beredande gruppen och controllern ändrar enhetskostnaderna.")
