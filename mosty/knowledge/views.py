"""Pages of the knowledge base: public reading and search; editing, translating, booklets."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.core.forms import add_service_errors
from mosty.core.i18n import text_direction
from mosty.core.pagination import paginate, query_without_page
from mosty.knowledge import exports, selectors, services, xliff
from mosty.knowledge.forms import (
    ArticleCreateForm,
    ArticleEditForm,
    AssignForm,
    BookletForm,
    LanguageForm,
    PublicFilterForm,
    SearchForm,
    TranslationForm,
    XliffExportForm,
    XliffImportForm,
)
from mosty.knowledge.models import Category, ExportStatus
from mosty.knowledge.text import render_markdown

LANGUAGE_NAMES = dict(settings.LANGUAGES)
# Kinds of events (mosty.events) that go with an article category, for "related" links.
RELATED_EVENT_KINDS = {
    Category.POLISH: "language_course",
    Category.CULTURE: "cultural",
    Category.INSTITUTIONS: "staff_training",
    Category.GOOD_PRACTICES: "staff_training",
    Category.IMPLEMENTATION: "network_meeting",
}


def _language(request) -> str:
    return request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_NAMES else "pl"


# --- public ---------------------------------------------------------------------------------


def knowledge_index(request):
    require(request.user, "knowledge.read")
    language = _language(request)
    filters = PublicFilterForm(request.GET or None)
    audience = filters.cleaned_data["audience"] if filters.is_valid() else ""
    counts = selectors.category_counts(language=language, fetched_by=request.user)
    page = paginate(
        request,
        selectors.article_list_public(
            language=language, fetched_by=request.user, audience=audience
        ),
    )
    return render(
        request,
        "knowledge/index.html",
        {
            "categories": [
                (value, label, counts.get(value, 0)) for value, label in Category.choices
            ],
            "page": page,
            "filters": filters,
            "search": SearchForm(),
            "querystring": query_without_page(request),
        },
    )


def knowledge_category(request, category: str):
    require(request.user, "knowledge.read")
    if category not in Category.values:
        raise Http404
    language = _language(request)
    page = paginate(
        request,
        selectors.article_list_public(
            language=language, fetched_by=request.user, category=category
        ),
    )
    return render(
        request,
        "knowledge/category.html",
        {"category": Category(category), "page": page, "search": SearchForm()},
    )


def knowledge_article(request, slug: str):
    require(request.user, "knowledge.read")
    language = _language(request)
    reading = selectors.article_read(slug=slug, language=language, fetched_by=request.user)
    elsewhere = []
    for t in reading.available:
        with translation.override(t.language):
            url = reverse("knowledge:article", kwargs={"slug": slug})
        elsewhere.append(
            {
                "code": t.language,
                "name": translation.get_language_info(t.language)["name_local"],
                "title": t.title,
                "url": url,
            }
        )
    return render(
        request,
        "knowledge/article.html",
        {
            "reading": reading,
            "translation": reading.translation,
            "body": render_markdown(reading.translation.body) if reading.translation else "",
            "elsewhere": elsewhere,
            "category": Category(reading.article.category),
            "event_kind": RELATED_EVENT_KINDS.get(reading.article.category, ""),
            "may_edit": can(request.user, "knowledge.edit"),
        },
    )


def knowledge_search(request):
    require(request.user, "knowledge.read")
    form = SearchForm(request.GET or None)
    hits, query = [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        hits = selectors.article_search(
            language=_language(request), query=query, fetched_by=request.user
        )
    return render(request, "knowledge/search.html", {"search": form, "hits": hits, "query": query})


def knowledge_offline(request):
    """The public knowledge base in the visitor's language as a zip of static pages, rebuilt
    only when a published translation changed."""
    require(request.user, "knowledge.read")
    language = _language(request)
    return FileResponse(
        default_storage.open(exports.offline_bundle_stored(language), "rb"),
        as_attachment=True,
        filename=f"mosty-knowledge-{language}.zip",
        content_type="application/zip",
    )


# --- editing --------------------------------------------------------------------------------


@login_required
def article_manage_list(request):
    require(request.user, "knowledge.edit")
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "category": request.GET.get("category", "")
        if request.GET.get("category") in Category.values
        else "",
        "outdated": request.GET.get("outdated") == "1",
    }
    page = paginate(
        request, selectors.article_manage_list(fetched_by=request.user, filters=filters)
    )
    languages = [code for code, _name in settings.LANGUAGES]
    rows = []
    for article in page:
        by_language = {t.language: t for t in article.translations.all()}
        cells = []
        for code in languages:
            t = by_language.get(code)
            if t is not None:
                t.article = article
            cells.append({"code": code, "t": t})
        source = by_language.get(article.source_language)
        rows.append({"article": article, "title": source.title if source else "", "cells": cells})
    return render(
        request,
        "knowledge/manage_list.html",
        {
            "page": page,
            "rows": rows,
            "languages": languages,
            "filters": filters,
            "categories": Category.choices,
            "querystring": query_without_page(request),
            "xliff_form": XliffExportForm(),
            "import_form": XliffImportForm(),
        },
    )


@login_required
def article_create(request):
    require(request.user, "knowledge.edit")
    form = ArticleCreateForm(request.POST or None, initial={"source_language": _language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Article created."))
            return redirect("knowledge:article_detail", pk=article.pk)
    return render(request, "knowledge/article_form.html", {"form": form})


@login_required
def article_detail(request, pk: int):
    article = selectors.article_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.edit", article)
    return _article_detail_page(request, article)


def _article_detail_page(request, article, assign_form=None):
    translations = {t.language: t for t in selectors.article_translations(article=article)}
    rows = [
        {
            "code": code,
            "name": name,
            "t": translations.get(code),
            "is_source": code == article.source_language,
        }
        for code, name in settings.LANGUAGES
    ]
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "article": article,
            "source": translations.get(article.source_language),
            "rows": rows,
            "assign_form": assign_form or AssignForm(source_language=article.source_language),
            "mt_enabled": settings.MT_ENABLED,
        },
    )


@login_required
def article_edit(request, pk: int):
    article = selectors.article_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.edit", article)
    source = selectors.article_source(article=article)
    form = ArticleEditForm(
        request.POST or None,
        initial={
            "category": article.category,
            "audience": article.audience,
            "title": source.title,
            "summary": source.summary,
            "body": source.body,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(article=article, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("knowledge:article_detail", pk=pk)
    return render(
        request, "knowledge/article_form.html", {"form": form, "article": article, "source": source}
    )


@login_required
@require_POST
def translation_assign(request, pk: int):
    article = selectors.article_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.edit", article)
    form = AssignForm(request.POST, source_language=article.source_language)
    if form.is_valid():
        try:
            services.translation_assign(
                article=article,
                language=form.cleaned_data["language"],
                translator=form.cleaned_data["translator"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Translation assigned."))
            return redirect("knowledge:article_detail", pk=pk)
    # Errors stay beside their fields on the article's page.
    return _article_detail_page(request, article, assign_form=form)


@login_required
def translation_edit(request, pk: int, language: str):
    t = selectors.translation_for_editing(fetched_by=request.user, article_pk=pk, language=language)
    require(request.user, "knowledge.translate", t)
    if t.is_source:
        return redirect("knowledge:article_edit", pk=pk)
    source = selectors.article_source(article=t.article)
    form = TranslationForm(
        request.POST or None,
        initial={"title": t.title, "summary": t.summary, "body": t.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_save(
                translation=t,
                by=request.user,
                submit="submit" in request.POST,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Translation saved."))
            return redirect("knowledge:translation_edit", pk=pk, language=language)
    return render(
        request,
        "knowledge/translation_form.html",
        {
            "t": t,
            "article": t.article,
            "source": source,
            "source_html": render_markdown(source.body),
            "form": form,
            "diff": selectors.translation_source_diff(translation=t),
            "language_name": LANGUAGE_NAMES[language],
            "language_dir": text_direction(language),
            "source_dir": text_direction(t.article.source_language),
            "may_publish": can(request.user, "knowledge.publish", t),
            "mt_enabled": settings.MT_ENABLED,
        },
    )


@login_required
@require_POST
def translation_publish(request, pk: int, language: str):
    t = selectors.translation_get(fetched_by=request.user, article_pk=pk, language=language)
    require(request.user, "knowledge.publish", t)
    try:
        if request.POST.get("action") == "unpublish":
            services.translation_unpublish(translation=t, by=request.user)
            messages.success(request, _("The translation is no longer public."))
        else:
            services.translation_publish(translation=t, by=request.user)
            messages.success(request, _("Published."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("knowledge:article_detail", args=[pk])
    return redirect(next_url)


@login_required
@require_POST
def translation_machine(request, pk: int, language: str):
    article = selectors.article_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.edit", article)
    if language not in LANGUAGE_NAMES:
        raise Http404
    try:
        services.translation_machine_draft(article=article, language=language, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("knowledge:article_detail", pk=pk)
    messages.success(request, _("Machine draft ready: a person must review it before publishing."))
    return redirect("knowledge:translation_edit", pk=pk, language=language)


@login_required
def translation_queue(request):
    require(request.user, "knowledge.queue")
    page = paginate(request, selectors.translation_queue(user=request.user))
    return render(request, "knowledge/queue.html", {"page": page})


@login_required
def xliff_export(request):
    require(request.user, "knowledge.edit")
    form = XliffExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose a language."), status=400, content_type="text/plain")
    language, version = form.cleaned_data["language"], form.cleaned_data["version"]
    articles = selectors.article_manage_list(fetched_by=request.user).exclude(
        source_language=language
    )
    if request.GET.get("article", "").isdecimal():
        articles = articles.filter(pk=int(request.GET["article"]))
    try:
        data = xliff.xliff_export(list(articles), language, version=version)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    audit(
        request.user,
        "mosty.knowledge.xliff.exported",
        details={"language": language, "version": version},
    )
    response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
    suffix = "" if version == "1.2" else "-xliff2"
    response["Content-Disposition"] = (
        f'attachment; filename="mosty-knowledge-{language}{suffix}.xlf"'
    )
    return response


@login_required
def xliff_import(request):
    require(request.user, "knowledge.edit")
    form = XliffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.translations_import_xliff(
                data=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d translation imported; it waits for review.",
                    "%(n)d translations imported; they wait for review.",
                    len(result.imported),
                )
                % {"n": len(result.imported)},
            )
            if result.unchanged:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d translation in the file is what Mosty already has; it was "
                        "left as it is.",
                        "%(n)d translations in the file are what Mosty already has; they "
                        "were left as they are.",
                        result.unchanged,
                    )
                    % {"n": result.unchanged},
                )
            return redirect("knowledge:manage")
    return render(request, "knowledge/xliff_import.html", {"form": form})


# --- booklets -------------------------------------------------------------------------------


@login_required
def booklet_list(request):
    require(request.user, "knowledge.booklet")
    page = paginate(request, selectors.booklet_list(fetched_by=request.user))
    return render(request, "knowledge/booklet_list.html", {"page": page})


@login_required
def booklet_create(request):
    require(request.user, "knowledge.booklet")
    form = BookletForm(request.POST or None, language=_language(request))
    if request.method == "POST" and form.is_valid():
        booklet = services.booklet_create(by=request.user, **form.service_data())
        messages.success(request, _("Booklet created."))
        return redirect("knowledge:booklet_detail", pk=booklet.pk)
    return render(request, "knowledge/booklet_form.html", {"form": form})


@login_required
def booklet_detail(request, pk: int):
    booklet = selectors.booklet_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.booklet", booklet)
    items = list(selectors.booklet_items(booklet=booklet))
    form = BookletForm(
        request.POST or None,
        items=items,
        language=_language(request),
        title_translations=booklet.title_translations,
        initial={"title": booklet.title},
    )
    labels = dict(form.fields["add"].choices)
    for item in items:
        item.label = labels.get(item.article_id, item.article.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.booklet_update(booklet=booklet, by=request.user, **form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("knowledge:booklet_detail", pk=pk)
    return render(
        request,
        "knowledge/booklet_detail.html",
        {
            "booklet": booklet,
            "items": items,
            "form": form,
            "export_form": LanguageForm(initial={"language": _language(request)}),
            "exports": selectors.booklet_exports(booklet=booklet),
        },
    )


@login_required
@require_POST
def booklet_export(request, pk: int):
    booklet = selectors.booklet_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.booklet", booklet)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect("knowledge:booklet_detail", pk=pk)
    try:
        export = services.booklet_export_request(
            booklet=booklet, language=form.cleaned_data["language"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("knowledge:booklet_detail", pk=pk)
    return redirect("knowledge:booklet_export_status", pk=export.pk)


@login_required
def booklet_export_status(request, pk: int):
    export = selectors.booklet_export_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.booklet", export.booklet)
    template = "knowledge/_export_status.html" if request.htmx else "knowledge/booklet_export.html"
    return render(
        request,
        template,
        {
            "export": export,
            "finished": export.status in {ExportStatus.DONE, ExportStatus.FAILED},
            "language_name": LANGUAGE_NAMES.get(export.language, export.language),
        },
    )


@login_required
def booklet_download(request, pk: int):
    export = selectors.booklet_export_get(fetched_by=request.user, pk=pk)
    require(request.user, "knowledge.booklet", export.booklet)
    if export.status != ExportStatus.DONE or not export.pdf:
        raise Http404
    return FileResponse(
        export.pdf.open("rb"),
        as_attachment=True,
        filename=export.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
