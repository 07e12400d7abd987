"""API routes of this module, included under /api/."""

from mosty.participation import api

urlpatterns = api.routes.urlpatterns
