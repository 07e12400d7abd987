"""Every API route in one list; each module adds its own lines."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mosty.organisations import api as organisations_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "organisations/", organisations_api.OrganisationListApi.as_view(), name="organisation_list"
    ),
    path(
        "organisations/<int:pk>/",
        organisations_api.OrganisationDetailApi.as_view(),
        name="organisation_detail",
    ),
    path("", include("mosty.people.api_urls")),
    path("", include("mosty.cases.api_urls")),
    path("", include("mosty.mentoring.api_urls")),
    path("", include("mosty.directory.api_urls")),
    path("", include("mosty.events.api_urls")),
    path("", include("mosty.knowledge.api_urls")),
]
