from django.urls import path

from mosty.access import views

app_name = "access"

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("export.csv", views.audit_export, name="audit_export"),
]
