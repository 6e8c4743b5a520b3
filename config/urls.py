from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from applications import views as application_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch also remembers a signed-in user's choice (accounts.views.set_language).
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("", include("accounts.urls")),
    # The start page, Mina ärenden: what waits for the user, across the apps (applications.views.start).
    path("", application_views.start, name="start"),
    path("", include("core.urls")),
    path("kommuner/", include("municipalities.urls")),
    path("arenden/", include("applications.urls")),
    path("arenden/", include("discussion.urls")),
    path("arenden/", include("reviews.urls")),
    path("arenden/", include("consultations.urls")),
    path("arenden/", include("decisions.urls")),
    path("aviseringar/", include("notifications.urls")),
    path("", include("reporting.urls")),
    path("", include("evaluation.urls")),
    path("fonden/", include("funds.urls")),
    path("oversikt/", include("dashboards.urls")),
    path("kalender/", include("dashboards.calendar_urls")),
    path("arenden/", include("repayment.urls")),
    path("export/", include("exports.urls")),
    path("api/", include("api.urls")),
]

# Errors in the site's layout: the way back from a 404, a reference to quote for a 500.
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
