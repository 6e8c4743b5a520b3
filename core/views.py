import datetime
import logging
import secrets
import sys

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .health import broker_status, database_status

logger = logging.getLogger("fonden.errors")

# When the accessibility statement was last reviewed against the site (its own tests and the
# known gaps it lists); change it with the statement.
STATEMENT_REVIEWED_ON = datetime.date(2026, 12, 1)


@never_cache
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def accessibility_statement(request):
    """The tillgänglighetsredogörelse the law on accessible digital public services asks for
    (DIGG's model): public, linked from every page's footer."""
    return render(
        request,
        "core/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL, "reviewed_on": STATEMENT_REVIEWED_ON},
    )


@requires_csrf_token
def page_not_found(request, exception):
    """404 in the site's layout with the ways back: the start page, the case list and, when the
    user came from a page of this site, that page."""
    referer = request.META.get("HTTP_REFERER", "")
    same_site = referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    back = referer if same_site and referer != request.build_absolute_uri() else ""
    return render(request, "404.html", {"back_url": back, "request_path": request.path}, status=404)


def server_error(request):
    """500 with a reference the user can quote, logged with the exception. Rendered without the
    request's context processors (no database, no menu): whatever broke must not break this."""
    reference = secrets.token_hex(4).upper()
    logger.error("Serverfel, referens %s: %s %s", reference, request.method, request.path, exc_info=sys.exc_info())
    try:
        html = loader.get_template("500.html").render({"reference": reference})
    except Exception:  # the error page itself failed: say the least, with the reference
        logger.exception("Felsidan kunde inte visas, referens %s", reference)
        html = (
            '<!DOCTYPE html><html lang="sv"><title>Ett fel uppstod – Fonden</title>'
            f"<h1>Ett fel uppstod hos oss</h1><p>Referens: <strong>{reference}</strong></p>"
            '<p><a href="/">Till startsidan</a></p></html>'
        )
    response = HttpResponseServerError(html)
    response["X-Error-Reference"] = reference
    return response
