from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("<slug:slug>/", views.fund_detail, name="detail"),
    path("<slug:slug>/inratta/", views.fund_create, name="create"),
    path("<slug:slug>/export.csv", views.fund_export, name="export"),
    path("arenden/<int:pk>/utbetalningsplan/", views.payout_plan_save, name="payout_plan"),
    path("arenden/<int:pk>/utbetalningsplan/godkann/", views.payout_plan_approve, name="payout_plan_approve"),
]
