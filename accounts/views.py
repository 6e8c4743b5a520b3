from django.conf import settings
from django.contrib.auth import views as auth_views
from django.views import i18n

from .enums import Role
from .forms import EmailAuthenticationForm
from .models import User


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"] = demo_accounts_by_municipality()
        return context


def demo_accounts_by_municipality():
    """Demo logins grouped by municipality, for the login page in demo mode (two queries)."""
    users = (
        User.objects.filter(is_demo=True, is_active=True)
        .select_related("municipality")
        .prefetch_related("role_assignments")
        .order_by("municipality__name", "email")
    )
    grouped = {}
    order = {role.value: index for index, role in enumerate(Role)}
    for user in users:
        roles = sorted((a.role for a in user.role_assignments.all()), key=order.get)
        label = user.municipality.name if user.municipality else "Fonden"
        grouped.setdefault(label, []).append({"user": user, "roles": [Role(r).label for r in roles]})
    return grouped


def set_language(request):
    """Django's language switch, which also remembers a signed-in user's choice: notifications
    and e-mail to them are then written in that language."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
