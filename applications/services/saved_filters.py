"""A user's saved filters of the case list. Each belongs to one user, who alone lists, applies and
deletes it; another user's filter is not found."""

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from core.refusals import DomainRefusedError

from ..models import SavedCaseFilter


@transaction.atomic
def save_case_filter(user, *, name, query):
    """Keep ``query`` (the list's valid filters and sort, as a dict) under ``name``; a filter of
    the same name is replaced. Refused when there is nothing to keep. Side effect: one row."""
    if not query:
        raise DomainRefusedError(_("Välj minst ett filter innan du sparar."), field="name")
    encoded = QueryDict(mutable=True)
    encoded.update(query)
    saved, _created = SavedCaseFilter.objects.update_or_create(
        user=user, name=name, defaults={"query": encoded.urlencode()}
    )
    return saved


def delete_case_filter(user, filter_id):
    """Delete the user's own saved filter; another user's (or none) is a no-op answer of False."""
    deleted, _rows = SavedCaseFilter.objects.filter(user=user, pk=filter_id).delete()
    return bool(deleted)
