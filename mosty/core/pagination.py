from collections.abc import Sequence

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


class UncountedPaginator:
    """What `core/_pagination.html` reads of the paginator of an `UncountedPage`: the number
    of pages is not known."""

    num_pages = None

    def __init__(self, per_page: int) -> None:
        self.per_page = per_page


class UncountedPage(Sequence):
    """A page of a list that is never counted whole: Previous and Next, no "of N"."""

    def __init__(self, rows: list, number: int, per_page: int) -> None:
        self.object_list = rows[:per_page]
        self.number = number
        self.paginator = UncountedPaginator(per_page)
        self._more = len(rows) > per_page

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate_uncounted(request, queryset, *, per_page: int = PAGE_SIZE, param: str = "page"):
    """A page of `queryset` from ?page= without counting all of it: one row more than the page
    tells whether another follows. For a list whose count costs a pass over everything it may
    hold while a page is found in a few rows; a number past the end gives the first page."""
    value = request.GET.get(param, "")
    number = int(value) if value.isdecimal() and 0 < int(value) < 100_000 else 1
    rows = list(queryset[(number - 1) * per_page : number * per_page + 1])
    if not rows and number > 1:
        number, rows = 1, list(queryset[: per_page + 1])
    return UncountedPage(rows, number, per_page)
