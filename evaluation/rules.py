"""Who may change what in a case's evaluation (django-rules predicates). Each permission is a
``Requirements`` whose reason tells the user why not; the services refuse by it and the pages show
it. Seeing the pages at all is decided by Case.objects.visible_to."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_controller, is_member_of, is_preparer, is_system_admin
from applications.enums import CaseState
from applications.rules import case_is_editable, is_case_applicant
from core.permissions import Requirements
from projects.organisation import is_reporter

from .enums import CalculationKind

# The preparing group or a controller of the object's municipality (a case's, or the
# municipality itself), or a system admin.
is_fund_staff = is_system_admin | ((is_preparer | is_controller) & is_member_of)


@rules.predicate
def is_project_reporter(user, case):
    """The project's manager or one of its owners: they write its reports and enter its values."""
    return is_reporter(case, user)


@rules.predicate
def plan_is_open_to_applicants(user, case):
    """Applicants write the plan with the application and complete it at the project's start,
    where the rule set asks for a plan for follow-up before start (Ale, Sundsvall, Ystad...)."""
    return case_is_editable(user, case) or case.state == CaseState.STARTING


# Preparers and controllers edit every calculation; applicants the förkalkyl of their own case
# while the application can be edited.
EDIT_CALCULATION = Requirements(
    (is_fund_staff, _("Bara den beredande gruppen och controllern ändrar den här kalkylen.")),
)
EDIT_FORECAST = Requirements(
    (is_fund_staff | is_case_applicant, _("Bara den beredande gruppen och controllern ändrar den här kalkylen.")),
    (is_fund_staff | case_is_editable, _("Förkalkylen kan bara ändras medan ansökan kan ändras.")),
)
EDIT_PLAN = Requirements(
    (is_fund_staff | is_case_applicant, _("Bara sökande och den beredande gruppen ändrar mätplanen.")),
    (
        is_fund_staff | plan_is_open_to_applicants,
        _("Mätplanen kan bara ändras av sökande medan ansökan kan ändras eller projektet startar."),
    ),
)
# The project (its applicants, manager and owners) and the fund's staff enter measured values.
ENTER_VALUES = Requirements(
    (
        is_fund_staff | is_case_applicant | is_project_reporter,
        _("Bara projektet och den beredande gruppen för in mätvärden."),
    ),
)
EDIT_EVALUATION = Requirements(
    (is_fund_staff | is_case_applicant, _("Bara projektet och den beredande gruppen skriver utvärderingen.")),
)
# Asked about the municipality whose catalogue it is.
EDIT_UNIT_COSTS = Requirements(
    (is_fund_staff, _("Bara den beredande gruppen och controllern ändrar enhetskostnaderna.")),
)


def calculation_requirements(kind):
    return EDIT_FORECAST if kind == CalculationKind.FORECAST else EDIT_CALCULATION


rules.add_perm("evaluation.edit_plan", EDIT_PLAN.predicate)
rules.add_perm("evaluation.enter_values", ENTER_VALUES.predicate)
rules.add_perm("evaluation.edit_evaluation", EDIT_EVALUATION.predicate)
rules.add_perm("evaluation.edit_unit_costs", EDIT_UNIT_COSTS.predicate)
