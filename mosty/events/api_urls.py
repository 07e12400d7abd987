"""API routes of this module, included under /api/."""

from mosty.events import api

urlpatterns = api.routes.urlpatterns
