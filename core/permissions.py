"""Who may act, said once as django-rules predicates, and why not, where a page must tell it.

Apps name their predicates in ``<app>/rules.py`` and register them as permissions. Where a page
must say why someone may not act, the permission is written as ``Requirements``: each requirement
a predicate with the reason told when it fails, in order. Its ``predicate`` is what is
registered; ``check`` gives ``(allowed, reason)`` for the page. Nothing else re-derives it.

Views declare the permission they need with ``permission_required``. Names only: ``core``
imports no app.
"""

import operator
from functools import reduce, wraps

from django.core.exceptions import PermissionDenied


class Requirements:
    """A permission made of (predicate, reason) pairs, all required. ``reason`` is a string or
    a callable of the object asked about (for a reason that names the case's bodies)."""

    def __init__(self, *requirements):
        self.requirements = requirements
        self.predicate = reduce(operator.and_, (predicate for predicate, _reason in requirements))

    def check(self, user, obj=None):
        """(allowed, reason): the reason of the first requirement that fails, or (True, "")."""
        for predicate, reason in self.requirements:
            if not predicate.test(user, obj):
                return False, str(reason(obj) if callable(reason) else reason)
        return True, ""


def permission_required(permission, fn=None, message=None, given_as=None):
    """The view declares the permission it needs. ``fn(request, *args, **kwargs)`` fetches the
    object it is asked about, scoped to the user's municipality, so another municipality's object
    is *404 Not Found* before any permission is asked; where it finds nothing to ask about (a
    page of the user's own municipality, for a user of none) the user is refused. With
    ``given_as`` the view gets that object as the keyword argument of that name, so it is fetched
    once. Refused: *403* with ``message`` (or, for ``Requirements`` asked as ``(name,
    requirements)``, the reason of the first that fails)."""
    name, requirements = permission if isinstance(permission, tuple) else (permission, None)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn else None
            if (fn and obj is None) or not request.user.has_perm(name, obj):
                reason = requirements.check(request.user, obj)[1] if requirements else message
                raise PermissionDenied(*([reason] if reason else []))  # no reason: the page says none
            if given_as:
                kwargs[given_as] = obj
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def own_municipality(request, *args, **kwargs):
    """The user's own municipality: what a page of it without a municipality in its URL is about.
    A system admin, who holds every permission, belongs to none and has nothing there."""
    return request.user.municipality
