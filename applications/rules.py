"""Who may act on a case (django-rules predicates, pretalx's ``submission/rules.py``).

Role predicates ask who the user is for the case: of its municipality, a participant, holding the
role the case's rule set gives an action. State predicates ask what the case allows now. They are
composed where used: the case model's permissions (``Case.Meta.rules_permissions``), the
lifecycle's transition permissions (``conditions.may``) and the pages.
"""

import rules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.permissions import Requirements
from municipalities.rulebook import rulebook_in_force

from .enums import EDITABLE_STATES, CaseState, state_clause

# ---- Role predicates ------------------------------------------------------------------------------


@rules.predicate
def is_case_member(user, case):
    """An active user of the case's municipality."""
    if not (user.is_authenticated and user.is_active and case is not None):
        return False
    return user.municipality_id == case.municipality_id


@rules.predicate
def is_case_participant(user, case):
    """The user created the case, or their unit applies or takes part in it."""
    if not user.is_authenticated or case is None:
        return False
    if case.created_by_id == user.pk:
        return True
    if not user.unit_id:
        return False
    return user.unit_id == case.applicant_unit_id or any(unit.pk == user.unit_id for unit in case.units.all())


@rules.predicate
def holds_applicant_role(user, case):
    return user.is_authenticated and case is not None and user.has_role(case.rules.applicant_role)


# An applicant of the case: one who applies and takes part in this case.
is_case_applicant = holds_applicant_role & is_case_participant


# Which rule-set role performs each kind of action.
ACTION_ROLES = {
    "applicant": lambda book: book.applicant_role,
    "idea_review": lambda book: book.idea_review_role,
    "preparation": lambda book: book.preparation_role,
    "decision_basis": lambda book: book.decision_basis_role,
    "decision": lambda book: book.decision_role,
    "extension": lambda book: book.extension_role,
    "abort_proposal": lambda book: book.abort_proposer_role,
    "abort_decision": lambda book: book.abort_decision_role,
    "implementation": lambda book: book.implementation_role,
}


def acting_role(case, action):
    return ACTION_ROLES[action](case.rules)


def _holds_acting_role(action):
    @rules.predicate(name=f"holds_role_of_{action}")
    def holds(user, case):
        role = acting_role(case, action)
        return bool(role) and user.has_role(role)

    return holds


def _acted_by_applicant(action):
    @rules.predicate(name=f"{action}_is_the_applicants")
    def by_applicant(user, case):
        return acting_role(case, action) == Role.APPLICANT

    return by_applicant


# Who performs each kind of action: a member of the case's municipality holding the role the rule
# set gives it; where that is the applicant, one who takes part in this case.
ACTS_FOR = {
    action: is_case_member & _holds_acting_role(action) & (~_acted_by_applicant(action) | is_case_participant)
    for action in ACTION_ROLES
}


# ---- State predicates -----------------------------------------------------------------------------


@rules.predicate
def case_is_editable(user, case):
    return case is not None and case.state in EDITABLE_STATES


# Until the decision the application's nämnd may be informed: before the preparing group takes
# the case (required where the rule set asks it), and again when the application changes.
BOARD_NOTICE_STATES = (
    CaseState.DRAFT,
    CaseState.RETURNED,
    CaseState.SUBMITTED,
    CaseState.RESUBMITTED,
    CaseState.IN_PREPARATION,
)


@rules.predicate
def asks_board_notice(user, case):
    return bool(case.rules.stages.application.board_informed)


@rules.predicate
def holds_board_notice_role(user, case):
    return user.has_role(case.rules.stages.application.board_informed.recorded_by)


@rules.predicate
def board_notice_is_the_applicants(user, case):
    return case.rules.stages.application.board_informed.recorded_by == case.rules.applicant_role


@rules.predicate
def takes_board_notice_now(user, case):
    return case.state in BOARD_NOTICE_STATES


# ---- Permissions with the reason told when they fail ---------------------------------------------

EDIT_CASE = Requirements(
    (is_case_applicant, gettext_lazy("Bara sökande som deltar i ärendet kan ändra det.")),
    (
        case_is_editable,
        lambda case: _("Ärendet kan inte ändras när dess status är ”%(state)s”.") % {"state": case.get_state_display()},
    ),
)

RECORD_BOARD_NOTICE = Requirements(
    (asks_board_notice, gettext_lazy("Regelverket ber inte om att nämnden informeras.")),
    (
        is_case_member & holds_board_notice_role,
        lambda case: (
            _("Bara %(body)s kan registrera att nämnden har informerats.")
            % {"body": case.rules.body_name(case.rules.stages.application.board_informed.recorded_by)}
        ),
    ),
    (
        ~board_notice_is_the_applicants | is_case_participant,
        gettext_lazy("Bara sökande som deltar i ärendet kan registrera att nämnden har informerats."),
    ),
    (
        takes_board_notice_now,
        lambda case: (
            _("Att nämnden har informerats registreras före beslutet, inte när %(state)s.")
            % {"state": state_clause(case.state)}
        ),
    ),
)


@rules.predicate
def may_open_case(user):
    """Holds the role that applies under the rule set in force in the user's municipality."""
    book = rulebook_in_force(user) if user.is_authenticated else None
    return book is not None and user.has_role(book.applicant_role)
