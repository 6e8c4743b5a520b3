"""The municipal admin's page for API tokens: list, create (the secret shown once), revoke.
Plain Django views, not DRF: they use the site's login and session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .forms import TokenCreateForm
from .models import ApiToken


def _admin_municipality(user):
    municipality = user.municipality
    if municipality is None or not services.may_manage_tokens(user, municipality):
        raise PermissionDenied(_("Bara kommunens administratör hanterar API-nycklar."))
    return municipality


@login_required
def token_list(request):
    municipality = _admin_municipality(request.user)
    form = TokenCreateForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, secret = services.create_token(request.user, municipality, form.cleaned_data["name"])
            messages.success(request, _("API-nyckeln ”%(name)s” är skapad.") % {"name": token.name})
            form = TokenCreateForm()
        else:
            status = 400
    tokens = ApiToken.objects.filter(municipality=municipality).select_related("created_by")
    return render(
        request,
        "api/token_list.html",
        {"municipality": municipality, "tokens": tokens, "form": form, "secret": secret},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    municipality = _admin_municipality(request.user)
    token = get_object_or_404(ApiToken, pk=pk, municipality=municipality)
    services.revoke_token(request.user, token)
    messages.success(request, _("API-nyckeln ”%(name)s” är återkallad.") % {"name": token.name})
    return redirect("api:tokens")
