from django.urls import path

from . import views

app_name = "repayment"
urlpatterns = [
    path("<int:pk>/aterbetalning/", views.plan_page, name="plan"),
]
