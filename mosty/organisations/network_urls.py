from django.urls import path

from mosty.organisations import network_views as views

app_name = "networks"

urlpatterns = [
    path("", views.NetworkList.as_view(), name="list"),
    path("public/", views.NetworkPublicList.as_view(), name="public_list"),
    path("public/<slug:slug>/", views.NetworkPublic.as_view(), name="public"),
    path("new/", views.NetworkCreate.as_view(), name="create"),
    path("<int:pk>/", views.NetworkDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NetworkEdit.as_view(), name="edit"),
    path("<int:pk>/members/", views.NetworkMembers.as_view(), name="members"),
    path("members/<int:pk>/remove/", views.NetworkMemberRemove.as_view(), name="member_remove"),
    path("<int:pk>/meetings/new/", views.MeetingCreate.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path("meetings/<int:pk>/edit/", views.MeetingEdit.as_view(), name="meeting_edit"),
    path("<int:pk>/documents/new/", views.DocumentShare.as_view(), name="document_share"),
    path("documents/<int:pk>/", views.DocumentDownload.as_view(), name="document"),
]
