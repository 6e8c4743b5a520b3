from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("arenden/", views.case_list_view, name="case_list"),
    path("arsredovisning/", views.annual_report_view, name="annual_report"),
    path("jobb/<int:job_id>/", views.job_view, name="job"),
    path("jobb/<int:job_id>/fil/", views.download_view, name="download"),
]
