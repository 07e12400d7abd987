from django.urls import path

from mosty.people import import_views, views

app_name = "people"

urlpatterns = [
    path("", views.ParticipantList.as_view(), name="list"),
    path("intake/", views.participant_intake, name="intake"),
    path("new/", views.participant_create, name="create"),
    path("<int:pk>/", views.ParticipantDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/consents/new/", views.ConsentRecord.as_view(), name="consent_record"),
    path("consents/<int:pk>/withdraw/", views.ConsentWithdraw.as_view(), name="consent_withdraw"),
    path("<int:pk>/export/", views.participant_export, name="export"),
    path("<int:pk>/erase/", views.ParticipantErase.as_view(), name="erase"),
    path("consent-texts/", views.ConsentTemplateList.as_view(), name="consent_templates"),
    path(
        "consent-texts/new/", views.ConsentTemplateCreate.as_view(), name="consent_template_create"
    ),
    path(
        "consent-texts/<int:pk>/edit/",
        views.ConsentTemplateEdit.as_view(),
        name="consent_template_edit",
    ),
    path(
        "consent-texts/<int:pk>/delete/",
        views.ConsentTemplateDelete.as_view(),
        name="consent_template_delete",
    ),
    path("import/", import_views.import_upload, name="import"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
]
