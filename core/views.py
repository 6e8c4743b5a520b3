from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.enums import Role
from applications.services import cases_waiting_for
from municipalities.presentation import role_name, steps_for_roles

from .health import broker_status, database_status


@never_cache
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@login_required
def start(request):
    """Mina ärenden: what waits for this user, and what their roles mean in their municipality."""
    user = request.user
    municipality = user.municipality
    ruleset = municipality.active_ruleset if municipality else None
    document = ruleset.document if ruleset else None
    roles = [Role(role) for role in Role.values if user.has_role(role)]
    role_cards = [
        {
            "role": role,
            "name": role_name(document, role),
            "duties": (document or {}).get("bodies", {}).get(role.value, {}).get("duties", ""),
            "steps": steps_for_roles(document, {role.value}) if document else [],
        }
        for role in roles
    ]
    return render(
        request,
        "core/start.html",
        {
            "municipality": municipality,
            "ruleset": ruleset,
            "role_cards": role_cards,
            "waiting_rows": cases_waiting_for(user),
            "can_create": ruleset is not None
            and user.has_role(ruleset.document["stages"]["application"]["actor_role"]),
        },
    )
