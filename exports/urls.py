from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("arsredovisning/", views.annual_report_view, name="annual_report"),
    path("jobb/<int:job_id>/", views.job_view, name="job"),
    path("jobb/<int:job_id>/fil/", views.download_view, name="download"),
]
