"""API routes of this module, included under /api/."""

from mosty.reports import api

urlpatterns = api.routes.urlpatterns
