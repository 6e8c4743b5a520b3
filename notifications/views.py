from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import NotificationSettingsForm


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("case")[:100]
    return render(request, "notifications/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def mark_all_read(request):
    request.user.notifications.unread().update(read_at=timezone.now())
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    """The user's own choice, per kind, of how notifications reach them."""
    form = NotificationSettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina val för aviseringar är sparade."))
        return redirect("notifications:settings")
    status = 400 if form.is_bound else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)
