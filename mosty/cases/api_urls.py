"""API routes of this module, included under /api/."""

from mosty.cases import api

urlpatterns = api.routes.urlpatterns
