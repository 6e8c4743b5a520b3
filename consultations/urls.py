from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("<int:pk>/remisser/", views.request_view, name="request"),
    path("<int:pk>/remisser/<int:consultation_id>/svar/", views.answer_view, name="answer"),
    path("<int:pk>/remisser/<int:consultation_id>/delegera/", views.delegate_view, name="delegate"),
]
