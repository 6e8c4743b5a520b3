from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("<int:pk>/bedomare/", views.assign_reviewer, name="assign"),
    path("<int:pk>/bedomning/<int:assignment_id>/", views.save_review, name="review"),
    path("prioritering/", views.priorities, name="priorities"),
    path("prioritering/<int:round_id>/", views.priorities, name="round"),
]
