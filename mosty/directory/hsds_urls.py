"""Open Referral HSDS read API, included under /hsds/."""

urlpatterns: list = []
