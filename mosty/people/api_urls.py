"""API routes of this module, included under /api/."""

from mosty.people import api

urlpatterns = api.routes.urlpatterns
