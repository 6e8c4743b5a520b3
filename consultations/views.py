import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from applications.services import cases_for_list
from core.refusals import DomainRefusedError, refuse

from . import services
from .models import Consultation


def _case(request, pk):
    return get_object_or_404(cases_for_list(request.user), pk=pk)


@login_required
@require_POST
def request_view(request, pk):
    case = _case(request, pk)
    units = list(case.municipality.units.filter(pk__in=request.POST.getlist("units")))
    try:
        deadline = datetime.date.fromisoformat(request.POST.get("deadline", ""))
    except ValueError:
        messages.error(request, _("Ange ett giltigt svarsdatum (ÅÅÅÅ-MM-DD)."))
        return redirect("applications:detail", case.pk)
    try:
        services.request_consultation(
            case, request.user, units=units, question=request.POST.get("question", ""), deadline=deadline
        )
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Remissen är skickad."))
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def answer_view(request, pk, consultation_id):
    case = _case(request, pk)
    consultation = get_object_or_404(Consultation, pk=consultation_id, case=case)
    try:
        services.answer(
            consultation, request.user, position=request.POST.get("position", ""), text=request.POST.get("answer", "")
        )
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Remissvaret är registrerat."))
    return redirect("applications:detail", case.pk)


@login_required
@require_POST
def delegate_view(request, pk, consultation_id):
    case = _case(request, pk)
    consultation = get_object_or_404(Consultation, pk=consultation_id, case=case)
    delegate = get_object_or_404(User, pk=request.POST.get("delegate") or 0, municipality=case.municipality)
    try:
        services.delegate(consultation, request.user, delegate)
    except DomainRefusedError as refusal:
        refuse(request, refusal)
    else:
        messages.success(request, _("Ställningstagandet är delegerat till %(name)s.") % {"name": delegate})
    return redirect("applications:detail", case.pk)
