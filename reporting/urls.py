from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("arenden/<int:pk>/projekt/", views.project_view, name="project"),
    path("arenden/<int:pk>/projekt/plan/", views.plan_view, name="plan"),
    path("arenden/<int:pk>/rapporter/<int:obligation_id>/", views.report_view, name="report"),
    path("arenden/<int:pk>/rapporter/<int:obligation_id>/granska/", views.review_view, name="review"),
    path("arenden/<int:pk>/rapporter/<int:obligation_id>/bilagor/", views.upload_view, name="upload"),
    path(
        "arenden/<int:pk>/rapporter/<int:obligation_id>/budgetkompensation/",
        views.compensate_view,
        name="compensate",
    ),
    path(
        "arenden/<int:pk>/rapporter/<int:obligation_id>/bilagor/<int:attachment_id>/",
        views.attachment_view,
        name="attachment",
    ),
    path("uppfoljning/", views.overview_view, name="overview"),
    path("uppfoljning/rapporteringsdatum/", views.reporting_dates_view, name="dates"),
]
