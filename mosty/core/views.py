from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, Window
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from mosty.access.domains.accounts import own_memberships
from mosty.access.policy import require
from mosty.core.collation import by_name
from mosty.core.navigation import panels_for
from mosty.core.routing import Routes

routes = Routes()

# Organisations listed on the dashboard; the rest are a link to the searchable list away.
DASHBOARD_MEMBERSHIPS = 10


@routes.path("", name="home")
def home(request):
    return render(request, "core/home.html")


@routes.path("dashboard/", name="dashboard")
@login_required
def dashboard(request):
    require(request.user, "dashboard.view")
    # The first ten and how many there are, in one query: a city-office coordinator holds
    # roles in hundreds of organisations, and the page lists ten.
    memberships = list(
        own_memberships(request.user)
        .select_related("organisation")
        .annotate(total=Window(Count("pk")))
        .order_by(*by_name("organisation__name"), "role")[:DASHBOARD_MEMBERSHIPS]
    )
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": memberships,
            "more_memberships": memberships[0].total - len(memberships) if memberships else 0,
            "panels": panels_for(request),
        },
    )


@require_POST
def set_language(request):
    """Django's language switch, with the page to go back to (`next`) read in the language
    of its own address. Django reads it in the language of the request (the browser's, or
    the choice saved before), so from a Polish browser /uk/… was not recognised as a page,
    and the switch went back to it unchanged: the page stayed Ukrainian."""
    language = translation.get_language_from_path(request.POST.get("next", ""))
    if language:
        translation.activate(language)
    return django_set_language(request)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request, status: int, template: str, exception=None):
    if request.path.startswith(("/api/", "/hsds/")):
        from django.utils.translation import gettext as _

        messages = {
            400: _("Bad request."),
            403: _("You do not have permission to do this."),
            404: _("Not found."),
            500: _("Server error. The problem has been logged."),
        }
        return JsonResponse({"detail": messages[status]}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "400.html", exception)


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html", exception)


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html", exception)


def server_error(request):
    """No context processors here: the database may be what failed."""
    if request.path.startswith(("/api/", "/hsds/")):
        return _error(request, 500, "500.html")
    from django.http import HttpResponseServerError
    from django.template import loader
    from django.utils import translation

    from mosty.core.i18n import text_direction

    html = loader.get_template("500.html").render(
        {"LANGUAGE_CODE": translation.get_language(), "text_direction": text_direction()}
    )
    return HttpResponseServerError(html)
