from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.services import cases_for_list
from core.refusals import DomainRefusedError, refuse

from . import services
from .forms import CommentForm, EditCommentForm
from .models import CommentAttachment


def _case_for(request, pk):
    """The case if the user may see it; another tenant's case is 'not found'."""
    return get_object_or_404(cases_for_list(request.user), pk=pk)


def _back(case, comment=None):
    response = redirect("applications:detail", case.pk)
    if comment is not None:
        response["Location"] += f"#{comment.anchor}"
    return response


def _form_errors(form):
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


def _report(request, done, report):
    text = done
    if report.notified:
        text += " " + _("Aviserade: %(names)s.") % {"names": ", ".join(str(user) for user in report.notified)}
    if report.not_notified:
        text += " " + _(
            "%(addresses)s kunde inte aviseras: okänd adress, eller personen får inte läsa kommentaren."
        ) % {"addresses": ", ".join(report.not_notified)}
    messages.success(request, text)


def _post(request, pk, parent_id=None):
    case = _case_for(request, pk)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(case)
    try:
        comment, report = services.post_comment(
            case,
            request.user,
            text=form.cleaned_data["text"],
            visibility=form.cleaned_data["visibility"],
            parent_id=parent_id,
            files=form.cleaned_data["files"],
        )
    except DomainRefusedError as refusal:
        refuse(request, refusal)
        return _back(case)
    _report(request, _("Kommentaren är publicerad."), report)
    return _back(case, comment)


@login_required
@require_POST
def comment_post(request, pk):
    return _post(request, pk)


@login_required
@require_POST
def comment_reply(request, pk, comment_id):
    return _post(request, pk, parent_id=comment_id)


@login_required
@require_POST
def comment_edit(request, pk, comment_id):
    case = _case_for(request, pk)
    form = EditCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(case)
    try:
        comment, report = services.edit_comment(case, comment_id, request.user, text=form.cleaned_data["text"])
    except DomainRefusedError as refusal:
        refuse(request, refusal)
        return _back(case)
    _report(request, _("Kommentaren är ändrad; den tidigare texten finns kvar i historiken."), report)
    return _back(case, comment)


@login_required
def attachment_download(request, pk, attachment_id):
    case = _case_for(request, pk)
    attachment = get_object_or_404(
        CommentAttachment.objects.filter(comment__in=case.comments.readable_by(request.user)), pk=attachment_id
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
