"""API routes of this module, included under /api/."""

from mosty.research import api

urlpatterns = api.routes.urlpatterns
