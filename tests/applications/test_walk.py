"""The walk helper (used by the demo data and these tests) reaches every side road a rule set
has, and no other."""

import pytest

from applications.enums import CaseState as S
from applications.services import TransitionRefusedError
from audit.models import AuditEntry
from demo.walk import walk_to

# The side roads each rule set has: idea review, extension, abort and partial implementation
# are the municipality's choice; returning, rejecting, declining and withdrawing are everyone's.
EVERYONE = {S.RETURNED, S.REJECTED, S.NOT_IMPLEMENTED, S.WITHDRAWN}
SIDE_ROADS = {
    "heby": EVERYONE,
    "ale": EVERYONE | {S.IDEA_REJECTED, S.EXTENDED},
    # Sundsvall's ledningsgrupp ends a project early by its decision, without a proposal first.
    "sundsvall": EVERYONE | {S.IDEA_REJECTED, S.EXTENDED, S.ABORTED, S.PARTLY_IMPLEMENTED},
    "ystad": EVERYONE | {S.IDEA_REJECTED, S.ABORT_PROPOSED, S.ABORTED, S.PARTLY_IMPLEMENTED},
    "norrkoping": EVERYONE,
}
# Side roads that leave the main road where every rule set passes (so the walk gets there and
# is refused the turn); the idea's side road leaves it where Heby and Norrköping never are.
LEAVING_THE_COMMON_ROAD = [S.EXTENDED, S.ABORT_PROPOSED, S.PARTLY_IMPLEMENTED]


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.mark.parametrize(
    ("slug", "target"), [(slug, target) for slug, targets in SIDE_ROADS.items() for target in sorted(targets)]
)
def test_walk_to_side_road_the_rule_set_has(new_case, today, slug, target):
    case, users = new_case(slug)

    case = walk_to(case, target, users)

    assert case.state == target
    last = AuditEntry.objects.for_object(case).exclude(from_state="").order_by("id").last()
    assert last.to_state == target


@pytest.mark.parametrize(
    ("slug", "target"),
    [
        (slug, target)
        for slug, targets in SIDE_ROADS.items()
        for target in LEAVING_THE_COMMON_ROAD
        if target not in targets
    ],
)
def test_walk_to_side_road_the_rule_set_lacks_refused(new_case, today, slug, target):
    case, users = new_case(slug)

    with pytest.raises(TransitionRefusedError):
        walk_to(case, target, users)
