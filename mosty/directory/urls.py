from django.urls import path

from mosty.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.ServiceList.as_view(), name="list"),
    path("map/", views.service_map, name="map"),
    path("map/data.json", views.service_map_data, name="map_data"),
    path("services/<int:pk>/", views.ServiceDetail.as_view(), name="service"),
    path("services/<int:pk>/verify/", views.ServiceVerify.as_view(), name="service_verify"),
    path("districts/", views.district_list, name="districts"),
    path("districts/<slug:code>/", views.DistrictDetail.as_view(), name="district"),
    path("manage/", views.Manage.as_view(), name="manage"),
    path("manage/services/new/", views.ServiceCreate.as_view(), name="service_create"),
    path("manage/services/<int:pk>/edit/", views.ServiceEdit.as_view(), name="service_edit"),
    path(
        "manage/services/<int:pk>/translate/",
        views.ServiceTranslate.as_view(),
        name="service_translate",
    ),
    path("manage/locations/new/", views.LocationCreate.as_view(), name="location_create"),
    path("manage/locations/<int:pk>/edit/", views.LocationEdit.as_view(), name="location_edit"),
    path("manage/hsds-import/", views.hsds_import, name="hsds_import"),
    path("housing/", views.HousingList.as_view(), name="housing_list"),
    path("housing/match/", views.housing_match, name="housing_match"),
    path("housing/new/", views.HousingCreate.as_view(), name="housing_create"),
    path("housing/<int:pk>/", views.HousingDetail.as_view(), name="housing_detail"),
    path("housing/<int:pk>/edit/", views.HousingEdit.as_view(), name="housing_edit"),
    path("housing/<int:pk>/status/", views.HousingStatusChange.as_view(), name="housing_status"),
    path("linguists/", views.LinguistList.as_view(), name="linguist_list"),
    path("linguists/new/", views.LinguistCreate.as_view(), name="linguist_create"),
    path("linguists/<int:pk>/", views.LinguistDetail.as_view(), name="linguist_detail"),
    path("linguists/<int:pk>/edit/", views.LinguistEdit.as_view(), name="linguist_edit"),
]
