"""API routes of this module, included under /api/."""

urlpatterns: list = []
