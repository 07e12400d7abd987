"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.events import api

urlpatterns = [
    path("events/", api.EventListApi.as_view(), name="event_list"),
    path("events/create/", api.EventCreateApi.as_view(), name="event_create"),
    path("events/report/", api.EventReportApi.as_view(), name="event_report"),
    path("events/<int:pk>/", api.EventDetailApi.as_view(), name="event_detail"),
    path(
        "events/<int:pk>/registrations/",
        api.RegistrationListApi.as_view(),
        name="event_registration_list",
    ),
    path(
        "events/<int:pk>/register/",
        api.RegistrationCreateApi.as_view(),
        name="event_registration_create",
    ),
    path(
        "events/registrations/<int:pk>/cancel/",
        api.RegistrationCancelApi.as_view(),
        name="event_registration_cancel",
    ),
    path(
        "events/sessions/<int:pk>/attendance/",
        api.AttendanceListApi.as_view(),
        name="event_attendance_list",
    ),
    path(
        "events/sessions/<int:pk>/attendance/set/",
        api.AttendanceSetApi.as_view(),
        name="event_attendance_set",
    ),
]
