def unread_notifications(request):
    """The unread count for the header, one query per page for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": user.notifications.unread().count()}
