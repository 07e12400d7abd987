"""API routes of this module, included under /api/."""

from mosty.networks import api

urlpatterns = api.routes.urlpatterns
