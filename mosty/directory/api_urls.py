"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.directory import api

urlpatterns = [
    path("directory/services/", api.ServiceListApi.as_view(), name="service_list"),
    path("directory/services/new/", api.ServiceCreateApi.as_view(), name="service_create"),
    path("directory/services/<int:pk>/", api.ServiceDetailApi.as_view(), name="service_detail"),
    path(
        "directory/services/<int:pk>/update/",
        api.ServiceUpdateApi.as_view(),
        name="service_update",
    ),
    path(
        "directory/districts/<slug:code>/",
        api.DistrictDetailApi.as_view(),
        name="district_detail",
    ),
    path("housing/", api.HousingOfferListApi.as_view(), name="housing_list"),
    path("housing/new/", api.HousingOfferCreateApi.as_view(), name="housing_create"),
    path("housing/match/", api.HousingMatchApi.as_view(), name="housing_match"),
    path("housing/<int:pk>/", api.HousingOfferDetailApi.as_view(), name="housing_detail"),
    path("housing/<int:pk>/status/", api.HousingOfferStatusApi.as_view(), name="housing_status"),
    path("linguists/", api.LinguistListApi.as_view(), name="linguist_list"),
    path("linguists/new/", api.LinguistCreateApi.as_view(), name="linguist_create"),
    path("linguists/<int:pk>/", api.LinguistDetailApi.as_view(), name="linguist_detail"),
    path("directory/hsds-import/", api.HsdsImportApi.as_view(), name="hsds_import"),
    path("networks/", api.NetworkListApi.as_view(), name="network_list"),
    path("networks/<int:pk>/", api.NetworkDetailApi.as_view(), name="network_detail"),
    path("networks/create/", api.NetworkCreateApi.as_view(), name="network_create"),
    path(
        "networks/<int:pk>/members/", api.NetworkMemberAddApi.as_view(), name="network_member_add"
    ),
    path(
        "networks/<int:pk>/meetings/",
        api.NetworkMeetingCreateApi.as_view(),
        name="network_meeting_create",
    ),
]
