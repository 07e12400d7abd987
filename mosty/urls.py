from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from mosty.core import views as core_views

handler400 = "mosty.core.views.bad_request"
handler403 = "mosty.core.views.permission_denied"
handler404 = "mosty.core.views.page_not_found"
handler500 = "mosty.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/", include(("mosty.api.urls", "api"))),
    path("hsds/", include(("mosty.directory.hsds_urls", "hsds"))),
]

urlpatterns += i18n_patterns(
    path("", include("mosty.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("manage/organisations/", include("mosty.organisations.urls")),
    path("manage/", include("mosty.accounts.urls")),
    path("audit/", include("mosty.access.urls")),
    path("participants/", include("mosty.people.urls")),
    path("cases/", include("mosty.cases.urls")),
    path("mentoring/", include("mosty.mentoring.urls")),
    path("networks/", include("mosty.networks.urls")),
    path("directory/", include("mosty.directory.urls")),
    path("events/", include("mosty.events.urls")),
    path("assistance/", include("mosty.assistance.urls")),
    path("knowledge/", include("mosty.knowledge.urls")),
    path("research/", include("mosty.research.urls")),
    path("my/", include("mosty.portal.urls")),
    path("notifications/", include("mosty.messaging.urls")),
    path("participation/", include("mosty.participation.urls")),
    path("reports/", include("mosty.reports.urls")),
    prefix_default_language=True,
)
