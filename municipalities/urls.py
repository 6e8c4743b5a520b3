from django.urls import path

from . import views

app_name = "municipalities"
urlpatterns = [
    path("", views.municipality_list, name="list"),
    path("<slug:slug>/", views.ruleset_detail, name="ruleset"),
    path("<slug:slug>/versioner/", views.version_list, name="versions"),
    path("<slug:slug>/enheter/", views.unit_list, name="units"),
    path("<slug:slug>/enheter/<int:unit_id>/", views.unit_head, name="unit_head"),
    path("<slug:slug>/versioner/jamfor/", views.version_compare, name="compare"),
    path("<slug:slug>/versioner/<int:number>/export/", views.version_export, name="export"),
    path("<slug:slug>/versioner/<int:number>/nytt-utkast/", views.version_new_draft, name="new_draft"),
    path("<slug:slug>/versioner/<int:number>/satt-i-kraft/", views.version_activate, name="activate"),
    path("<slug:slug>/versioner/<int:number>/redigera/", views.version_edit, name="edit"),
]
