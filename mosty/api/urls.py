"""Every API route: each module's routes, declared on its API views (`mosty/core/routing.py`)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mosty.organisations import api as organisations_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *organisations_api.routes.urlpatterns,
    path("", include("mosty.people.api_urls")),
    path("", include("mosty.cases.api_urls")),
    path("", include("mosty.mentoring.api_urls")),
    path("", include("mosty.directory.api_urls")),
    path("", include("mosty.networks.api_urls")),
    path("", include("mosty.events.api_urls")),
    path("", include("mosty.assistance.api_urls")),
    path("", include("mosty.knowledge.api_urls")),
    path("", include("mosty.research.api_urls")),
    path("", include("mosty.participation.api_urls")),
    path("", include("mosty.reports.api_urls")),
    path("", include("mosty.portal.api_urls")),
]
