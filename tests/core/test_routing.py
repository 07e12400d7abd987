"""Routes declared on pages resolve as a hand-written table would."""

import pytest
from django.urls import Resolver404, URLResolver
from django.views import View

from mosty.core.routing import Routes


def _resolver(routes: Routes) -> URLResolver:
    from django.urls.resolvers import RegexPattern

    return URLResolver(RegexPattern(r"^/"), routes.urlpatterns)


def test_fixed_text_wins_over_a_converter_wherever_the_page_is_declared():
    routes = Routes()

    @routes.path("<slug:slug>/", name="article")
    class Article(View):
        pass

    @routes.path("manage/", name="manage")
    class Manage(View):
        pass

    def offline(request):
        return None

    routes.add("offline/", offline, name="offline", kwargs={"fmt": "html"})
    resolver = _resolver(routes)

    assert resolver.resolve("/manage/").url_name == "manage"
    assert resolver.resolve("/manage/").func.view_class is Manage
    assert resolver.resolve("/some-article/").url_name == "article"
    match = resolver.resolve("/offline/")
    assert (match.func, match.kwargs) == (offline, {"fmt": "html"})
    with pytest.raises(Resolver404):
        resolver.resolve("/manage/extra/")


def test_a_name_declared_twice_is_refused():
    routes = Routes()
    routes.add("a/", lambda request: None, name="same")
    with pytest.raises(ValueError, match="declared twice"):
        routes.add("b/", lambda request: None, name="same")
