from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("prenumeration/", views.renew_calendar_feed, name="renew"),
    path("ical/<slug:secret>.ics", views.calendar_feed, name="feed"),
]
