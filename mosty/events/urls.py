from django.urls import path

from mosty.events import views

app_name = "events"

urlpatterns = [
    path("", views.EventList.as_view(), name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.event_calendar, name="calendar_month"),
    path("<int:pk>/", views.EventDetail.as_view(), name="detail"),
    path("<int:pk>/register/", views.EventRegister.as_view(), name="register"),
    path("<int:pk>/register-person/", views.EventRegisterPerson.as_view(), name="register_person"),
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
    path("mine/calendar-reset/", views.CalendarFeedReset.as_view(), name="feed_reset"),
    path(
        "registrations/<int:pk>/cancel/",
        views.RegistrationCancel.as_view(),
        name="registration_cancel",
    ),
    path(
        "registrations/<int:pk>/certificate.pdf",
        views.registration_certificate,
        name="certificate",
    ),
    path("manage/", views.EventManageList.as_view(), name="manage"),
    path("manage/new/", views.EventCreate.as_view(), name="create"),
    path("manage/<int:pk>/edit/", views.EventEdit.as_view(), name="edit"),
    path(
        "manage/<int:pk>/registrations/", views.EventRegistrations.as_view(), name="registrations"
    ),
    path(
        "manage/<int:pk>/certificates/", views.CertificatesSend.as_view(), name="certificates_send"
    ),
    path("manage/sessions/<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path(
        "manage/sessions/<int:pk>/attendance/<int:registration>/",
        views.session_attendance_mark,
        name="attendance_mark",
    ),
    path("manage/report/", views.EventReport.as_view(), name="report"),
]
