"""Query-string filters of the read API, validated: a nonsense value is a 400 naming the parameter."""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException

MIN_YEAR = 2000
MAX_YEAR = 2100


class BadParameter(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter, reason):
        message = _("Ogiltigt värde för parametern ”%(parameter)s”: %(reason)s") % {
            "parameter": parameter,
            "reason": reason,
        }
        super().__init__({"detail": message, "parameter": parameter})


def choice(params, name, choices):
    value = params.get(name)
    if value is None:
        return None
    allowed = [str(key) for key in choices]
    if value not in allowed:
        raise BadParameter(name, _("tillåtna värden är %(values)s.") % {"values": ", ".join(allowed)})
    return value


def integer(params, name, minimum=1, maximum=2**31 - 1):
    value = params.get(name)
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        raise BadParameter(
            name, _("ange ett heltal från %(minimum)s till %(maximum)s.") % {"minimum": minimum, "maximum": maximum}
        )
    return number


def year(params, name="year"):
    return integer(params, name, MIN_YEAR, MAX_YEAR)


def date(params, name):
    value = params.get(name)
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise BadParameter(name, _("ange ett datum som ÅÅÅÅ-MM-DD.")) from error
