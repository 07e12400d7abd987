from django.urls import path

from mosty.organisations import network_views as views

app_name = "networks"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("public/", views.network_public_list, name="public_list"),
    path("public/<slug:slug>/", views.network_public, name="public"),
    path("new/", views.network_create, name="create"),
    path("<int:pk>/", views.network_detail, name="detail"),
    path("<int:pk>/edit/", views.network_edit, name="edit"),
    path("<int:pk>/members/", views.network_members, name="members"),
    path("members/<int:pk>/remove/", views.network_member_remove, name="member_remove"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/documents/new/", views.document_share, name="document_share"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
