"""A refusal by a rule of the domain, and where a page shows it.

Every app's refusals (a transition, a step, a signature, money, a decision, an evaluation, a unit's
head) inherit from ``DomainRefusedError``: the message says why, in Swedish, and nothing was changed.
``field`` names the form field the reason belongs to, so the page shows it there.
"""

from django.contrib import messages


class DomainRefusedError(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def show_refusal(form, refusal, field=None):
    """Put the refusal's reason by the field it names (or ``field``), or above the form when the
    form has no such field."""
    field = field or refusal.field
    form.add_error(field if field in form.fields else None, str(refusal))


def refuse(request, refusal):
    """Tell the refusal's reason as a message on the page the user is sent to, where no form
    shows it."""
    messages.error(request, str(refusal))
