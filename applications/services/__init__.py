"""Operations on cases (the writes). Each one locks the case row, checks, changes, saves and writes
the history in one transaction: it either happens whole, with its record, or not at all.

- ``lifecycle``: running a transition (``run_transition``) and what its new state brings;
- ``steps``: completing the steps inside a stage;
- ``content``: creating a case, saving what the applicant writes, attachments;
- ``signing``: signatures, in Fonden or recorded from paper;
- ``board_notice``: recording that the affected nämnd was informed.

What the pages read (options, waits, lists, history) is in ``applications.selectors``. This
package's own module holds what every operation shares: the refusal they raise and the row lock.
"""

from core.refusals import DomainRefusedError

from ..models import Case


class TransitionRefusedError(DomainRefusedError):
    """A transition or step was refused; the message says why. Nothing was changed."""


def lock_case(case):
    """The case's row, locked until the transaction ends: one operation at a time per case."""
    return Case.objects.select_for_update().get(pk=case.pk)
