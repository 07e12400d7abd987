"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.people import api

urlpatterns = [
    path("participants/", api.ParticipantListApi.as_view(), name="participant_list"),
    path("participants/create/", api.ParticipantCreateApi.as_view(), name="participant_create"),
    path("participants/<int:pk>/", api.ParticipantDetailApi.as_view(), name="participant_detail"),
    path(
        "participants/<int:pk>/update/",
        api.ParticipantUpdateApi.as_view(),
        name="participant_update",
    ),
    path(
        "participants/<int:pk>/export/",
        api.ParticipantExportApi.as_view(),
        name="participant_export",
    ),
    path(
        "participants/<int:pk>/consents/",
        api.ParticipantConsentListApi.as_view(),
        name="participant_consent_list",
    ),
    path(
        "participants/<int:pk>/consents/create/",
        api.ConsentRecordApi.as_view(),
        name="consent_record",
    ),
    path("consents/<int:pk>/withdraw/", api.ConsentWithdrawApi.as_view(), name="consent_withdraw"),
]
