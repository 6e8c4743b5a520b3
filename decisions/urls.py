from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("<int:pk>/beslut/", views.record_view, name="record"),
    path("<int:pk>/beslut-om-projektet/", views.lifecycle_view, name="lifecycle"),
    path("<int:pk>/beslutsunderlag/", views.issue_basis_view, name="issue_basis"),
    path("handlingar/<int:document_id>/", views.document_view, name="document"),
    path("handlingar/<int:document_id>/skicka-igen/", views.resend_letter_view, name="resend_letter"),
    path("sammantrade/", views.meeting_view, name="meeting"),
    path("sammantrade/helhet/", views.group_view, name="group"),
    path("sammantrade/jobb/<int:job_id>/", views.job_view, name="job"),
]
