"""API routes of this module, included under /api/."""

from mosty.assistance import api

urlpatterns = api.routes.urlpatterns
