from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("arenden/<int:pk>/utvardering/", views.overview, name="overview"),
    path("arenden/<int:pk>/utvardering/matplan/", views.plan_edit, name="plan"),
    path("arenden/<int:pk>/utvardering/indikator/<int:indicator_id>/", views.indicator_values, name="values"),
    path("arenden/<int:pk>/utvardering/<slug:kind>/", views.evaluation_edit, name="evaluation"),
    path("arenden/<int:pk>/utvardering/<slug:kind>/lamna-in/", views.evaluation_submit, name="evaluation_submit"),
    path("arenden/<int:pk>/kalkyl/<slug:kind>/", views.calculation_view, name="calculation"),
    path("arenden/<int:pk>/kalkyl/<slug:kind>/pdf/", views.calculation_pdf, name="calculation_pdf"),
    path("enhetskostnader/", views.unit_costs, name="unit_costs"),
]
