"""API routes of this module, included under /api/."""

from mosty.portal import api

urlpatterns = api.routes.urlpatterns
