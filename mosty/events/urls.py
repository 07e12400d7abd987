from django.urls import path

from mosty.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.event_calendar, name="calendar_month"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/register-person/", views.event_register_person, name="register_person"),
    path("<int:pk>/event.ics", views.calendar_event_ics, name="event_ics"),
    path("calendar.ics", views.calendar_public_ics, name="public_ics"),
    path(
        "organisations/<int:pk>/calendar.ics",
        views.calendar_organisation_ics,
        name="organisation_ics",
    ),
    path("feed/<str:token>.ics", views.calendar_personal_ics, name="personal_ics"),
    path("registration/<str:token>/", views.registration_by_token, name="registration_token"),
    path(
        "registration/<str:token>/certificate.pdf",
        views.certificate_by_token,
        name="certificate_token",
    ),
    path("mine/", views.registration_mine, name="mine"),
    path("mine/calendar-reset/", views.calendar_feed_reset, name="feed_reset"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path(
        "registrations/<int:pk>/certificate.pdf",
        views.registration_certificate,
        name="certificate",
    ),
    path("manage/", views.event_manage_list, name="manage"),
    path("manage/new/", views.event_create, name="create"),
    path("manage/<int:pk>/edit/", views.event_edit, name="edit"),
    path("manage/<int:pk>/registrations/", views.event_registrations, name="registrations"),
    path("manage/<int:pk>/certificates/", views.certificates_send, name="certificates_send"),
    path("manage/sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path(
        "manage/sessions/<int:pk>/attendance/<int:registration>/",
        views.session_attendance_mark,
        name="attendance_mark",
    ),
    path("manage/report/", views.event_report, name="report"),
]
