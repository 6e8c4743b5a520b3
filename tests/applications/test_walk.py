import pytest

from applications.enums import CaseState as S
from applications.walk import walk_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["heby", "ale", "sundsvall", "ystad", "norrkoping"])
def test_smoke_walk(new_case, slug, time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    case, users = new_case(slug)
    visited = [case.state]
    case = walk_to(case, S.IMPLEMENTED, users, visited=visited)
    assert case.state == S.IMPLEMENTED, visited
    print(slug, visited)
