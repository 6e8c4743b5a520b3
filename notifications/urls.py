from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("las-alla/", views.mark_all_read, name="mark_all_read"),
    path("installningar/", views.notification_settings, name="settings"),
]
