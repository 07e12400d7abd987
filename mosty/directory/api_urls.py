"""API routes of this module, included under /api/."""

from mosty.directory import api

urlpatterns = api.routes.urlpatterns
