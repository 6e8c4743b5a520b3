from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST


@login_required
def notification_list(request):
    notifications = request.user.notifications.select_related("case")[:100]
    return render(request, "notifications/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def mark_all_read(request):
    request.user.notifications.unread().update(read_at=timezone.now())
    return redirect("notifications:list")
