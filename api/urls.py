from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from . import token_views, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("cases", views.CaseViewSet, basename="case")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("ledger", views.LedgerEntryViewSet, basename="ledger")
router.register("reports", views.ReportViewSet, basename="report")
router.register("indicators", views.IndicatorViewSet, basename="indicator")

# The schema and its documentation hold no data: public.
public = {"authentication_classes": [], "permission_classes": [AllowAny]}

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(**public), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **public), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", **public), name="redoc"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
