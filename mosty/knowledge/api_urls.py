"""API routes of this module, included under /api/."""

from mosty.knowledge import api

urlpatterns = api.routes.urlpatterns
