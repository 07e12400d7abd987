"""API routes of this module, included under /api/."""

from mosty.mentoring import api

urlpatterns = api.routes.urlpatterns
