"""Open Referral HSDS 3.0: the read API and the whole-directory exports, under /hsds/."""

from django.urls import path

from mosty.directory import hsds_api, views

urlpatterns = [
    path("", hsds_api.HsdsRootApi.as_view(), name="root"),
    path("services", hsds_api.HsdsServiceListApi.as_view(), name="services"),
    path("services/<str:hsds_id>", hsds_api.HsdsServiceDetailApi.as_view(), name="service"),
    path("organizations", hsds_api.HsdsOrganizationListApi.as_view(), name="organizations"),
    path(
        "organizations/<str:hsds_id>",
        hsds_api.HsdsOrganizationDetailApi.as_view(),
        name="organization",
    ),
    path("taxonomy_terms", hsds_api.HsdsTaxonomyTermListApi.as_view(), name="taxonomy_terms"),
    path(
        "taxonomy_terms/<str:hsds_id>",
        hsds_api.HsdsTaxonomyTermDetailApi.as_view(),
        name="taxonomy_term",
    ),
    path("taxonomies", hsds_api.HsdsTaxonomyListApi.as_view(), name="taxonomies"),
    path("taxonomies/<str:hsds_id>", hsds_api.HsdsTaxonomyDetailApi.as_view(), name="taxonomy"),
    path(
        "service_at_locations",
        hsds_api.HsdsServiceAtLocationListApi.as_view(),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:hsds_id>",
        hsds_api.HsdsServiceAtLocationDetailApi.as_view(),
        name="service_at_location",
    ),
    path("export.json", views.hsds_export, {"fmt": "json"}, name="export_json"),
    path("datapackage.zip", views.hsds_export, {"fmt": "zip"}, name="export_datapackage"),
]
