"""The one flow of a staff page, declared instead of re-written (docs/architecture.md).

A module's view becomes a class that names its permission, template and form and fills in
only what is particular to it: which selector finds the rows or the object (always with
`fetched_by=self.request.user`), which service saves. The flow around it is here:

- `ListPage`: `require` → filter form → selector → paginate → audit what the page shows →
  render with `page`, `filters`, `querystring`.
- `DetailPage`: selector → `require` on the object → audit the read → render.
- `FormPage` (create and edit): selector → `require` → bind the form → service → the
  service's `ValidationError` beside the fields (an edit conflict at the top) → message →
  redirect; no half-written record, because services are atomic.
- `ActionPage`: a POST-only action (change a status, cancel) with the same error handling.
- `ShowPage`: `require` → render what `extra_context()` gathers (a short list that needs no
  pagination, search results).

A page anyone may open (the public knowledge base) sets `public = True`: no login is asked,
and `permission` still decides.

Query-count discipline: pages paginate (25 rows), and tests assert each page's count with
`django_assert_max_num_queries` (tests/core/test_pages.py shows how).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.views import View

from mosty.access.audit import audit_read, audit_reads
from mosty.access.policy import require
from mosty.core.forms import add_service_errors, narrow_choices
from mosty.core.pagination import PAGE_SIZE, paginate, paginate_uncounted, query_without_page
from mosty.core.ratelimit import public_form_spent, spent_message


def chosen_organisation(request: HttpRequest, organisations: Any) -> Any:
    """The organisation a new record is for, on a create page of a user who may act for
    several: `?organisation=` among `organisations` (those they may act for), else the first;
    None when there is none (the page says so, or answers 404)."""
    wanted = request.GET.get("organisation") or ""
    found = organisations.filter(pk=wanted).first() if wanted.isdecimal() else None
    return found or organisations.first()


class StaffPage(LoginRequiredMixin, View):
    """A page for a signed-in user. `permission` is the policy action the page needs
    (`mosty/access/domains/`); it is asked about the page's object where there is one.

    `public = True` opens the page to visitors who are not signed in (the public directory and
    knowledge base): the policy still decides, through `permission`, what they may see."""

    permission: ClassVar[str | None] = None
    public: ClassVar[bool] = False
    template_name: ClassVar[str]
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.public and not request.user.is_authenticated:
            return self.handle_no_permission()
        return View.dispatch(self, request, *args, **kwargs)

    @property
    def user(self) -> Any:
        return self.request.user

    def extra_context(self) -> dict[str, Any]:
        """What the template needs beyond the page's own variables."""
        return {}

    # Forms the page shows as the user filled them in (an `ActionPage` with `shown_on` puts
    # its invalid form here), in place of the empty ones `extra_context()` makes.
    bound_forms: dict[str, Any] = {}

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {**context, **self.extra_context(), **self.bound_forms},
        )


class ListPage(StaffPage):
    """A filtered, paginated list. Subclasses name the `selector` that finds the rows (or
    define `rows(filters)`); `extra_context()` may read the page being shown as `self.page`
    (rows that need more than the queryset). With a `title`, the template can extend
    `core/list_page.html`, the one layout of a list (heading, actions, filters, table)."""

    title: ClassVar[str | Promise] = ""
    # The selector of the rows (`selector(fetched_by=user, filters=filters)`); a list that
    # finds them otherwise overrides `rows()`.
    selector: ClassVar[Any] = None  # a function; Any lets each page name its own
    # False: the selector takes no filters and lists all this user may see
    # (`selector(fetched_by=user)`).
    filtered: ClassVar[bool] = True
    filter_form: ClassVar[type[forms.Form] | None] = None
    per_page: ClassVar[int] = PAGE_SIZE
    # False: the list is never counted whole (Previous / Next without "of N"), for a list
    # whose count would cost a pass over everything it may hold (`paginate_uncounted`).
    counted: ClassVar[bool] = True
    # Fields each row shows of a person (recorded as reads of `shown(page)`); empty = none.
    audit_fields: ClassVar[Sequence[str]] = ()
    page: Any = None

    def rows(self, filters: dict[str, Any]) -> Any:
        """The selector call: a queryset (or list) of what this user may see, filtered."""
        selector = type(self).selector
        if selector is None:
            raise NotImplementedError
        if not self.filtered:
            return selector(fetched_by=self.user)
        return selector(fetched_by=self.user, filters=filters)

    def shown(self, page: Iterable[Any]) -> Iterable[models.Model]:
        """The personal records a page of rows shows (the rows themselves by default)."""
        return page

    def page_context(self, page: Any) -> dict[str, Any]:
        """What the template needs that is computed from the rows of this page only (after
        pagination, so it costs the same however long the list is)."""
        return {}

    def audit(self, page: Iterable[Any], filters: dict[str, Any]) -> None:
        """Record what the page shows: reads of `shown(page)` with `audit_fields`. A list
        whose filters reveal more (a search by name) extends it and calls `super()`."""
        if self.audit_fields:
            audit_reads(self.user, list(self.shown(page)), fields=list(self.audit_fields))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.permission:
            require(request.user, self.permission)
        form = self.filter_form(request.GET or None) if self.filter_form else None
        filters = form.cleaned_data if form is not None and form.is_valid() else {}
        pages = paginate if self.counted else paginate_uncounted
        page = self.page = pages(request, self.rows(filters), per_page=self.per_page)
        self.audit(page, filters)
        return self.respond(
            {
                "page": page,
                "filters": form,
                "querystring": query_without_page(request),
                **({"title": self.title} if self.title else {}),
                **self.page_context(page),
            }
        )


class ShowPage(StaffPage):
    """A page that shows what `extra_context()` gathers, once `require(permission)` passed:
    a short list that needs no pagination, search results, an overview."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.permission:
            require(request.user, self.permission)
        return self.respond({})


class ObjectPage(StaffPage):
    """A page about one object: `get_object()` finds it through a selector that knows who
    asks (and answers 404 for what this user may not see)."""

    context_object_name: ClassVar[str] = "object"
    # The selector that finds the object by the URL's `pk` for this user
    # (`selector(fetched_by=user, pk=pk)`); a page that finds it otherwise overrides
    # `get_object()`.
    selector: ClassVar[Any] = None  # a function; Any lets each page name its own
    # A page that may have no object (FormPage: a create page) gets None without a selector.
    object_optional: ClassVar[bool] = False
    # The service a FormPage's `save()` or an ActionPage's `act()` calls by default:
    # `service(<object_kwarg>=self.object, by=user, **form.cleaned_data)` (no object argument
    # when `object_kwarg` is empty, no form data without a form).
    service: ClassVar[Any] = None  # a function; Any lets each page name its own
    object_kwarg: ClassVar[str] = ""
    # The object's attribute holding the record it belongs to, which `permission` is asked
    # about (a meeting's "network", an article file's "article"); empty: the object itself.
    owner: ClassVar[str] = ""
    object: Any = None

    def get_object(self) -> Any:
        selector = type(self).selector
        if selector is None:
            if self.object_optional:
                return None
            raise NotImplementedError
        return selector(fetched_by=self.user, pk=self.kwargs["pk"])

    def permission_target(self) -> Any:
        """What `permission` is asked about: the object itself by default, or the record the
        rule is written for (a meeting's network, a goal's case), named by `owner`."""
        return getattr(self.object, self.owner) if self.owner else self.object

    def already_done(self) -> HttpResponse | None:
        """What the user meets instead of the page when `self.object` is already where the
        page would bring it (a person erased, a request answered: from a second tab, after
        Back, by a colleague). Asked once the object is found and before `permission`, whose
        rule no longer allows the action and would answer 403; None: the page as usual."""
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.public and not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        done = self.already_done() if self.object is not None else None
        if done is not None:
            return done
        if self.permission:
            require(request.user, self.permission, self.permission_target())
        return super().dispatch(request, *args, **kwargs)

    def object_context(self) -> dict[str, Any]:
        return {self.context_object_name: self.object} if self.object is not None else {}

    def call_service(self, form: Any) -> Any:
        service = type(self).service
        if service is None:
            raise NotImplementedError
        target = {self.object_kwarg: self.object} if self.object_kwarg else {}
        data = form.cleaned_data if form is not None else {}
        return service(**target, by=self.user, **data)


class DetailPage(ObjectPage):
    # Fields of a person the page shows (recorded as a read of `self.object`); empty = none.
    read_fields: ClassVar[Sequence[str]] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.read_fields:
            audit_read(request.user, self.object, fields=list(self.read_fields))
        return self.respond(self.object_context())


class VersionedForm(forms.Form):
    """Mixin of a form that edits a `Versioned` record: it carries the `version` the record
    had when the form was shown (FormPage fills it in) back to the service, whose
    `save_changes(version=...)` turns a second editor's save into an `EditConflict`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class FormPage(ObjectPage):
    """Create (no object) or edit (`selector` or `get_object()` finds one) through a service.

    Subclasses name the `service` that saves (or define `save(form)`, the service call with
    `by=self.user`) and where the user goes next: `success_detail`, the URL name of the saved
    record's page; `object_detail`, the URL name of the page's own object's page (a page that
    adds something to a record goes back to that record); `success_list`, the URL name of a
    page without arguments; or `success_url(result)`. `form_kwargs()` and `initial()` feed
    the form (`initial_from_object`: the object's values of the form's fields; a
    `VersionedForm` gets the object's `version` in any case)."""

    form_class: ClassVar[type[forms.BaseForm]]
    success_message: ClassVar[str | Promise] = ""
    success_detail: ClassVar[str] = ""
    object_detail: ClassVar[str] = ""
    success_list: ClassVar[str] = ""
    read_fields: ClassVar[Sequence[str]] = ()
    # The field a service's error without a field of its own is shown beside (an upload
    # form's file, whose content the service refused); empty: above the form.
    errors_beside: ClassVar[str | None] = None
    object_optional = True
    # A form visitors post (an application, a registration): the group of the client's
    # allowance of public forms each valid post counts against (`mosty.core.ratelimit`; a
    # search box's "Find" does not count); once it is spent the form comes back with the
    # reason at the top (429), nothing saved.
    public_limit: ClassVar[str] = ""
    # An edit page whose form (not a ModelForm) has fields named as the object's attributes:
    # True starts the form from the object's values of them.
    initial_from_object: ClassVar[bool] = False

    def initial(self) -> dict[str, Any]:
        if self.object is None or not self.initial_from_object:
            return {}
        fields = self.form_class.base_fields  # type: ignore[attr-defined]
        return {name: getattr(self.object, name) for name in fields if name != "version"}

    def limited(self) -> bool:
        """Whether this post counts against `public_limit` (all of them by default)."""
        return True

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def save(self, form: Any) -> Any:
        return self.call_service(form)

    def ready(self, form: Any) -> bool:
        """Whether a valid form is saved now. A page that first shows the user something to
        confirm (possible duplicates of a new person) returns False: the form is shown again
        as filled in, nothing saved."""
        return True

    def success_url(self, result: Any) -> str | HttpResponseRedirect:
        if self.success_list:
            return reverse(self.success_list)
        if self.object_detail and self.object is not None:
            return reverse(self.object_detail, args=[self.object.pk])
        if not self.success_detail:
            raise NotImplementedError
        return reverse(self.success_detail, args=[result.pk])

    def get_form(self) -> Any:
        data = self.request.POST or None
        files = self.request.FILES or None
        initial = self.initial()
        if self.object is not None and issubclass(self.form_class, VersionedForm):
            initial = {"version": self.object.version, **initial}
        if self.searching:
            # A search box's "Find": the form again, as typed so far, nothing checked or saved.
            initial, data, files = {**initial, **self._typed()}, None, None
        kwargs = {"initial": initial, **self.form_kwargs()}
        if files is not None:
            kwargs["files"] = files
        form = self.form_class(data, **kwargs)
        narrow_choices(form, self.request.POST or self.request.GET)
        return form

    @property
    def searching(self) -> bool:
        return self.request.method == "POST" and "_search" in self.request.POST

    def _typed(self) -> dict[str, Any]:
        post = self.request.POST
        return {
            name: post.getlist(name) if len(post.getlist(name)) > 1 else post.get(name)
            for name in post
            if name not in ("csrfmiddlewaretoken", "_search") and not name.endswith("__q")
        }

    def handle(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form()
        if request.method == "POST" and not self.searching and form.is_valid() and self.ready(form):
            if (
                self.public_limit
                and self.limited()
                and public_form_spent(request, self.public_limit)
            ):
                form.add_error(None, spent_message())
                response = self.respond({"form": form, **self.object_context()})
                response.status_code = 429
                return response
            try:
                result = self.save(form)
            except ValidationError as exc:
                add_service_errors(form, exc, beside=self.errors_beside)
            else:
                if self.success_message:
                    messages.success(request, str(self.success_message))
                url = self.success_url(result)
                return url if isinstance(url, HttpResponseRedirect) else redirect(url)
        if self.object is not None and self.read_fields:
            audit_read(request.user, self.object, fields=list(self.read_fields))
        return self.respond({"form": form, **self.object_context()})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.handle(request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.handle(request)


class SimpleFormPage(FormPage):
    """A form page with nothing around the form (core/form_page.html): the heading, the form,
    Save and Cancel. Subclasses name `create_title` and `edit_title` (shown when the page has
    an object), and where Cancel leads: `cancel_detail` (the URL name of the object's page,
    when editing) or else `cancel_list`."""

    template_name = "core/form_page.html"
    create_title: ClassVar[str | Promise] = ""
    edit_title: ClassVar[str | Promise] = ""
    cancel_detail: ClassVar[str] = ""
    cancel_list: ClassVar[str]

    def cancel_url(self) -> str:
        if self.object is not None and self.cancel_detail:
            return reverse(self.cancel_detail, args=[self.object.pk])
        return reverse(self.cancel_list)

    def respond(self, context: dict[str, Any]) -> HttpResponse:
        title = self.create_title if self.object is None else self.edit_title
        return super().respond({"title": title, "cancel_url": self.cancel_url(), **context})


class ActionPage(ObjectPage):
    """A POST-only action on an object (a button, often with a small form): the service's
    refusal becomes an error message, and the user is sent back to `success_url()` (by
    default the object's page, whose URL name is `success_detail`, the page of the record it
    belongs to, `owner_detail`, or the page without arguments named `success_list`).

    A small form on an object's page (a target, a budget line) names that page in `shown_on`
    and the context name of its form in `form_name`: then bad input, or a service's refusal
    of one field, shows the page again with the form as filled in and each error beside its
    field, instead of a message at the top and an empty form. The page is shown to a user
    who passed this action's `permission`, which implies seeing the object."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    form_class: ClassVar[type[forms.BaseForm] | None] = None
    shown_on: ClassVar[type[DetailPage] | type[ShowPage] | None] = None
    form_name: ClassVar[str] = "form"
    success_message: ClassVar[str | Promise] = ""
    invalid_message: ClassVar[str | Promise] = ""
    success_detail: ClassVar[str] = ""
    success_list: ClassVar[str] = ""
    # The URL name of the page of the record `owner` names (back to the programme after
    # removing one of its targets).
    owner_detail: ClassVar[str] = ""

    def act(self, form: Any) -> Any:
        return self.call_service(form)

    def success_url(self, result: Any) -> str:
        """Where the user goes next; `result` is None when the action was refused."""
        if self.success_list:
            return reverse(self.success_list)
        if self.owner_detail:
            return reverse(self.owner_detail, args=[self.object.serializable_value(self.owner)])
        if not self.success_detail:
            raise NotImplementedError
        return reverse(self.success_detail, args=[self.object.pk])

    def success_text(self, result: Any) -> str:
        """The message after success (`success_message` unless it depends on the result)."""
        return str(self.success_message)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            if self.shown_on is not None:
                return self.show_invalid(form)
            errors = [str(e) for errs in form.errors.values() for e in errs]
            messages.error(request, str(self.invalid_message) or " ".join(errors))
            return redirect(self.success_url(None))
        try:
            result = self.act(form)
        except ValidationError as exc:
            if form is not None and self.shown_on is not None:
                add_service_errors(form, exc)
                return self.show_invalid(form)
            messages.error(request, " ".join(exc.messages))
            return redirect(self.success_url(None))
        text = self.success_text(result)
        if text:
            messages.success(request, text)
        return redirect(self.success_url(result))

    def show_invalid(self, form: forms.BaseForm) -> HttpResponse:
        """`shown_on`'s page for this object (or, a `ShowPage`, the page the action's form is
        on: an assistant's availability), with `form` (and its errors) in it."""
        assert self.shown_on is not None
        page = self.shown_on()
        page.setup(self.request, *self.args, **self.kwargs)
        if isinstance(page, DetailPage):
            page.object = self.object
        page.bound_forms = {self.form_name: form}
        return page.get(self.request, *self.args, **self.kwargs)


def public_form_saved(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    limit: str,
    save: Any,
    success: str | Promise,
) -> bool:
    """A visitor's form without a page class (joining the portal, accepting a network's
    invitation), posted: once valid it counts against this client's allowance of public
    forms (`limit`, `mosty.core.ratelimit`; spent: the message says so and nothing is
    written), then `save(form.cleaned_data)` calls the service, whose refusal lands beside
    the fields. True when saved, with the `success` message shown: the caller redirects."""
    if request.method != "POST" or not form.is_valid():
        return False
    if public_form_spent(request, limit):
        messages.error(request, spent_message())
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, str(success))
    return True
