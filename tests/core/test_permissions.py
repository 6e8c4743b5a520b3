"""One helper says why a permission is refused, and one decorator lets a view declare it."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from core.permissions import Requirements, permission_required


class Person:
    is_authenticated = True

    def __init__(self, *roles):
        self.roles = set(roles)

    def has_perm(self, name, obj=None):
        return rules.has_perm(name, self, obj)


@rules.predicate
def is_writer(user, thing):
    return "writer" in user.roles


@rules.predicate
def is_open(user, thing):
    return thing["open"]


WRITE = Requirements((is_writer, "Bara skribenter skriver."), (is_open, lambda thing: f"{thing['name']} är stängd."))
rules.add_perm("tests.write_thing", WRITE.predicate)


def test_requirements_grant_when_every_predicate_holds():
    assert WRITE.check(Person("writer"), {"open": True, "name": "Boken"}) == (True, "")


def test_requirements_tell_the_reason_of_the_first_that_fails():
    assert WRITE.check(Person(), {"open": False, "name": "Boken"}) == (False, "Bara skribenter skriver.")
    assert WRITE.check(Person("writer"), {"open": False, "name": "Boken"}) == (False, "Boken är stängd.")


def _view(request, pk):
    return HttpResponse(f"ok {pk}")


def _fetch(request, pk):
    if pk != 1:  # another tenant's object
        raise Http404
    return {"open": False, "name": "Boken"}


def test_a_declared_permission_lets_the_user_in():
    view = permission_required("tests.write_thing", fn=lambda request, pk: {"open": True, "name": "Boken"})(_view)
    request = RequestFactory().get("/")
    request.user = Person("writer")

    assert view(request, pk=1).content == b"ok 1"


def test_a_declared_permission_refuses_with_the_reason():
    view = permission_required(("tests.write_thing", WRITE), fn=_fetch)(_view)
    request = RequestFactory().get("/")
    request.user = Person("writer")

    with pytest.raises(PermissionDenied, match=r"Boken är stängd\."):
        view(request, pk=1)


def test_another_tenants_object_is_not_found_before_the_permission_is_asked():
    view = permission_required("tests.write_thing", fn=_fetch, message="Nej.")(_view)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(Http404):
        view(request, pk=2)


def test_the_object_the_permission_was_asked_about_is_handed_to_the_view():
    fetched = []

    def fetch(request, pk):
        fetched.append(pk)
        return {"open": True, "name": "Boken"}

    def view(request, pk, thing):
        return HttpResponse(f"{thing['name']} {pk}")

    wrapped = permission_required("tests.write_thing", fn=fetch, given_as="thing")(view)
    request = RequestFactory().get("/")
    request.user = Person("writer")

    assert wrapped(request, pk=1).content == b"Boken 1"
    assert fetched == [1]
