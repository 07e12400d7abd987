from django.urls import path

from mosty.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("map/", views.service_map, name="map"),
    path("map/data.json", views.service_map_data, name="map_data"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("services/<int:pk>/verify/", views.service_verify, name="service_verify"),
    path("districts/", views.district_list, name="districts"),
    path("districts/<slug:code>/", views.district_detail, name="district"),
    path("manage/", views.manage, name="manage"),
    path("manage/services/new/", views.service_create, name="service_create"),
    path("manage/services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("manage/services/<int:pk>/translate/", views.service_translate, name="service_translate"),
    path("manage/locations/new/", views.location_create, name="location_create"),
    path("manage/locations/<int:pk>/edit/", views.location_edit, name="location_edit"),
    path("manage/hsds-import/", views.hsds_import, name="hsds_import"),
    path("housing/", views.housing_list, name="housing_list"),
    path("housing/match/", views.housing_match, name="housing_match"),
    path("housing/new/", views.housing_create, name="housing_create"),
    path("housing/<int:pk>/", views.housing_detail, name="housing_detail"),
    path("housing/<int:pk>/edit/", views.housing_edit, name="housing_edit"),
    path("housing/<int:pk>/status/", views.housing_status, name="housing_status"),
    path("linguists/", views.LinguistList.as_view(), name="linguist_list"),
    path("linguists/new/", views.LinguistCreate.as_view(), name="linguist_create"),
    path("linguists/<int:pk>/", views.LinguistDetail.as_view(), name="linguist_detail"),
    path("linguists/<int:pk>/edit/", views.LinguistEdit.as_view(), name="linguist_edit"),
]
