from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, param: str = "page"):
    """A page of `queryset` (or a list) from ?page= (or `param`); bad or out-of-range numbers
    give the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without_page(request, param: str = "page") -> str:
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
