import pytest

from applications.enums import CaseState as S
from applications.services import TransitionRefusedError, run_transition
from applications.walk import walk_to

pytestmark = pytest.mark.django_db


def test_explore(new_case, time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    case, users = new_case("heby")
    try:
        run_transition(case, "submit", users["applicant"])
    except TransitionRefusedError as e:
        print("submit empty:", e)
    case = walk_to(case, S.EVALUATED, users)
    try:
        run_transition(case, "implement_partly", users["decision_body"], reason="x")
    except TransitionRefusedError as e:
        print("implement_partly:", e)
