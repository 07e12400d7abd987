"""Writes of the knowledge base: articles, their source revisions, translations, booklets."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mosty.access.audit import audit
from mosty.access.policy import require
from mosty.accounts.models import User
from mosty.core.i18n import language_codes
from mosty.core.uploads import clean_document
from mosty.core.writes import save_changes, save_validated
from mosty.knowledge.models import (
    Article,
    ArticleFile,
    ArticleRevision,
    ArticleTranslation,
    ArticleViewCount,
    Booklet,
    BookletExport,
    BookletItem,
    TranslationState,
)
from mosty.knowledge.tasks import booklet_export_build
from mosty.knowledge.text import search_columns
from mosty.knowledge.xliff import xliff_parse

State = TranslationState


def _index(translation: ArticleTranslation) -> None:
    """Fill the diacritic-free search columns (the FTS5 triggers / PostgreSQL index read them)."""
    columns = search_columns(translation.title, translation.summary, translation.body)
    for name, value in columns.items():
        setattr(translation, name, value)


def _author(by: User | None) -> User | None:
    """`by` as the `created_by` of a new record (None for a city pack or a seed)."""
    return by if by is not None and by.is_authenticated else None


TEXT_FIELDS = ["title", "summary", "body", "search_title", "search_body", "search_text"]


@transaction.atomic
def article_create(
    *,
    slug: str,
    category: str,
    audience: str,
    source_language: str,
    title: str,
    summary: str = "",
    body: str = "",
    publish: bool = False,
    by: User | None,
) -> Article:
    if by is not None:  # None: a city pack being loaded
        require(by, "knowledge.edit")
    if Article.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Another article already uses this short name.")})
    article = Article(
        slug=slug,
        category=category,
        audience=audience,
        source_language=source_language,
        created_by=_author(by),
    )
    save_validated(article)
    if not title.strip():
        raise ValidationError({"title": _("Give the article a title.")})
    source = ArticleTranslation(
        article=article,
        language=source_language,
        title=title,
        summary=summary,
        body=body,
        status=State.PUBLISHED if publish else State.DRAFT,
        source_revision=1,
        translator=article.created_by,
    )
    _index(source)
    save_validated(source)
    ArticleRevision.objects.create(
        article=article, number=1, title=title, summary=summary, body=body
    )
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: User,
    title: str,
    summary: str,
    body: str,
    category: str | None = None,
    audience: str | None = None,
    minor: bool = False,
    version: int | None = None,
) -> Article:
    """Edit the source text. A change moves the revision on (translations become outdated)
    unless it is marked `minor` (a typo), which rewrites the current revision in place.
    `version` is the article's as the editor's form showed it: when another editor saved
    since, nothing is written (`EditConflict`)."""
    require(by, "knowledge.edit", article)
    article = Article.objects.select_for_update().get(pk=article.pk)
    source = ArticleTranslation.objects.get(article=article, language=article.source_language)
    if not title.strip():
        raise ValidationError({"title": _("Give the article a title.")})
    changes: dict[str, object] = {}
    if category is not None and category != article.category:
        changes["category"] = category
    if audience is not None and audience != article.audience:
        changes["audience"] = audience
    text_changed = (source.title, source.summary, source.body) != (title, summary, body)
    if text_changed and not minor:
        changes["revision"] = article.revision + 1
    if not (changes or text_changed):
        return article
    save_changes(article, changes, version=version, by=by)
    if text_changed:
        ArticleRevision.objects.update_or_create(
            article=article,
            number=article.revision,
            defaults={"title": title, "summary": summary, "body": body},
        )
        source.title, source.summary, source.body = title, summary, body
        source.source_revision = article.revision
        _index(source)
        source.full_clean()
        source.save(update_fields=[*TEXT_FIELDS, "source_revision", "updated_at"])
        if minor:
            audit(by, "mosty.knowledge.article.minor_edit", article)
    return article


def _translation_for(article: Article, language: str) -> ArticleTranslation:
    if language not in language_codes():
        raise ValidationError({"language": _("Choose one of the languages Mosty ships.")})
    if language == article.source_language:
        raise ValidationError(
            {"language": _("This is the article's source language; edit the article instead.")}
        )
    translation, _created = ArticleTranslation.objects.select_for_update().get_or_create(
        article=article,
        language=language,
        defaults={"status": State.MISSING, "source_revision": 0},
    )
    translation.article = article
    return translation


@transaction.atomic
def translation_assign(
    *, article: Article, language: str, translator: User, by: User
) -> ArticleTranslation:
    require(by, "knowledge.edit", article)
    if not translator.is_active:
        raise ValidationError({"translator": _("This account is not active.")})
    translation = _translation_for(article, language)
    translation.translator = translator
    translation.save(update_fields=["translator", "updated_at"])
    audit(by, "mosty.knowledge.translation.assigned", translation)
    return translation


@transaction.atomic
def translation_save(
    *,
    translation: ArticleTranslation,
    title: str,
    summary: str,
    body: str,
    by: User,
    submit: bool = False,
    version: int | None = None,
) -> ArticleTranslation:
    """A person's translation text. Saving declares it made from the current source revision;
    `submit` sends it for review. An edited published translation leaves the public site until
    an editor publishes it again. `version` is the translation's as the form showed it: when
    someone saved it since (another tab, an XLIFF import, a machine draft), nothing is written
    (`EditConflict`)."""
    if by is not None:
        require(by, "knowledge.translate", translation)
    if translation.is_source:
        raise ValidationError(_("Edit the source text through the article."))
    if translation.pk is None:  # an editor translating a language nobody was assigned
        translation = _translation_for(translation.article, translation.language)
    translation = (
        ArticleTranslation.objects.select_for_update()
        .select_related("article")
        .get(pk=translation.pk)
    )
    if not title.strip() or not body.strip():
        raise ValidationError(
            {
                **({"title": [_("A translation needs a title.")]} if not title.strip() else {}),
                **({"body": [_("A translation needs its text.")]} if not body.strip() else {}),
            }
        )
    changes: dict[str, Any] = {
        **search_columns(title, summary, body),
        "title": title,
        "summary": summary,
        "body": body,
        "source_revision": translation.article.revision,
        "status": State.IN_REVIEW if submit else State.DRAFT,
    }
    if by is not None and translation.translator_id is None:
        changes["translator"] = by
    return save_changes(translation, changes, version=version, by=by)


@transaction.atomic
def translation_publish(*, translation: ArticleTranslation, by: User) -> ArticleTranslation:
    """Only text a person has looked at goes public: never a machine draft or an empty one."""
    require(by, "knowledge.publish", translation)
    translation = (
        ArticleTranslation.objects.select_for_update()
        .select_related("article")
        .get(pk=translation.pk)
    )
    if translation.status == State.MACHINE_DRAFT:
        raise ValidationError(
            _("A machine draft must be reviewed by a person before it is published.")
        )
    if not translation.title.strip() or not translation.body.strip():
        raise ValidationError(_("This translation has no text yet."))
    translation.status = State.PUBLISHED
    translation.save(update_fields=["status", "updated_at"])
    audit(by, "mosty.knowledge.translation.published", translation)
    return translation


@transaction.atomic
def translation_unpublish(*, translation: ArticleTranslation, by: User) -> ArticleTranslation:
    require(by, "knowledge.publish", translation)
    translation = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
    if translation.status == State.PUBLISHED:
        translation.status = State.DRAFT
        translation.save(update_fields=["status", "updated_at"])
        audit(by, "mosty.knowledge.translation.unpublished", translation)
    return translation


@dataclass
class XliffImportResult:
    imported: list[ArticleTranslation]  # changed text, now waiting for review
    unchanged: int  # the file's text is what Mosty already has: left exactly as it was


@transaction.atomic
def translations_import_xliff(*, data: bytes, by: User | None) -> XliffImportResult:
    """Import an agency's XLIFF 1.2 / 2.x file, all or nothing. Changed translations land *in
    review*; a translation made from an older source revision stays outdated. A field the
    file leaves untranslated keeps its text, and a translation whose text the file does not
    change keeps its status (re-importing an export changes nothing)."""
    require(by, "knowledge.edit")
    entries = xliff_parse(data)
    articles = Article.objects.in_bulk([e.slug for e in entries], field_name="slug")
    imported, unchanged = [], 0
    for entry in entries:
        article = articles.get(entry.slug)
        where = {"n": entry.position, "slug": entry.slug}
        if article is None:
            raise ValidationError(
                _("Article %(n)d in the file (%(slug)s) does not exist here.") % where
            )
        if entry.language not in language_codes():
            raise ValidationError(
                _("Article %(n)d in the file has an unknown target language.") % where
            )
        if not entry.texts:
            continue  # nothing translated for this article yet
        for name, limit in (("title", 200), ("summary", 500)):
            if len(entry.texts.get(name, "")) > limit:
                raise ValidationError(
                    _(
                        "Article %(n)d in the file (%(slug)s), unit “%(field)s”: the "
                        "text is longer than %(limit)d characters."
                    )
                    % {**where, "field": name, "limit": limit}
                )
        row = _translation_for(article, entry.language)
        new = {
            name: entry.texts.get(name, getattr(row, name)) for name in ("title", "summary", "body")
        }
        if all(new[name] == getattr(row, name) for name in new):
            unchanged += 1
            continue
        missing = [name for name in ("title", "body") if not new[name].strip()]
        if missing:
            raise ValidationError(
                _(
                    "Article %(n)d in the file (%(slug)s), unit “%(field)s”: the "
                    "translation is missing."
                )
                % {**where, "field": missing[0]}
            )
        changes: dict[str, Any] = {
            **search_columns(new["title"], new["summary"], new["body"]),
            **new,
            "status": State.IN_REVIEW,
            "machine_translated": False,
            "source_revision": min(entry.revision or article.revision, article.revision),
        }
        if by is not None and by.is_authenticated and row.translator_id is None:
            changes["translator"] = by
        # A new text: a form showing the one before it can no longer save over it.
        imported.append(save_changes(row, changes, version=None, by=by))
    audit(
        by,
        "mosty.knowledge.xliff.imported",
        details={"imported": len(imported), "unchanged": unchanged},
    )
    return XliffImportResult(imported=imported, unchanged=unchanged)


class MachineTranslationError(Exception):
    pass


def machine_translate(texts: list[str], *, source: str, target: str) -> list[str]:
    """Call a LibreTranslate-compatible service (POST /translate with a list in `q`)."""
    if not settings.MOSTY_MT_URL:
        raise MachineTranslationError(_("Machine translation is not configured."))
    payload = {"q": texts, "source": source, "target": target, "format": "text"}
    if settings.MOSTY_MT_API_KEY:
        payload["api_key"] = settings.MOSTY_MT_API_KEY
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own setting
        settings.MOSTY_MT_URL.rstrip("/") + "/translate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            data = json.loads(response.read().decode())
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        raise MachineTranslationError(
            _("The machine-translation service did not answer: %(error)s") % {"error": exc}
        ) from exc
    translated = data.get("translatedText") if isinstance(data, dict) else None
    if isinstance(translated, str):
        translated = [translated]
    if not isinstance(translated, list) or len(translated) != len(texts):
        raise MachineTranslationError(_("The machine-translation service gave an unusable answer."))
    return [str(t) for t in translated]


def translation_machine_draft(*, article: Article, language: str, by: User) -> ArticleTranslation:
    """A machine draft from the current source; a person must review it before publishing.

    The HTTP call happens outside the transaction (it can take a while)."""
    require(by, "knowledge.edit", article)
    source = ArticleTranslation.objects.get(article=article, language=article.source_language)
    existing = ArticleTranslation.objects.filter(article=article, language=language).first()
    if existing and existing.status == State.PUBLISHED and not existing.is_outdated:
        raise ValidationError(_("This translation is published and up to date."))
    revision = article.revision
    try:
        title, summary, body = machine_translate(
            [source.title, source.summary or "", source.body or ""],
            source=article.source_language,
            target=language,
        )
    except MachineTranslationError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        translation = _translation_for(article, language)
        title, summary = title[:200], summary[:500]
        # A new text: a form showing the one before it can no longer save over it.
        save_changes(
            translation,
            {
                **search_columns(title, summary, body),
                "title": title,
                "summary": summary,
                "body": body,
                "status": State.MACHINE_DRAFT,
                "machine_translated": True,
                "source_revision": revision,
            },
            version=None,
            by=by,
        )
        audit(by, "mosty.knowledge.translation.machine_draft", translation)
    return translation


# --- booklets -------------------------------------------------------------------------------


@transaction.atomic
def booklet_create(
    *, title: str, articles: list[Article], by: User | None, title_translations: dict | None = None
) -> Booklet:
    if by is not None:  # None: the benchmark's and seed's own booklets
        require(by, "knowledge.booklet")
    booklet = Booklet(
        title=title, title_translations=title_translations or {}, created_by=_author(by)
    )
    save_validated(booklet)
    booklet_set_articles(booklet=booklet, articles=articles, by=by)
    return booklet


@transaction.atomic
def booklet_update(
    *,
    booklet: Booklet,
    title: str,
    articles: list[Article],
    by: User,
    title_translations: dict | None = None,
    version: int | None = None,
) -> Booklet:
    """Title and articles together; `version` (what the form showed) makes a second editor's
    save an `EditConflict` that writes nothing."""
    require(by, "knowledge.booklet", booklet)
    translations = booklet.title_translations if title_translations is None else title_translations
    changes = {}
    if title != booklet.title or translations != booklet.title_translations:
        booklet.title = title
        booklet.title_translations = translations
        booklet.full_clean()
        changes = {"title": title, "title_translations": translations}
    # The articles are part of the booklet: any save moves its version on.
    booklet.save_changes(version=version, by=by, **changes)
    return booklet_set_articles(booklet=booklet, articles=articles, by=by)


@transaction.atomic
def booklet_set_articles(*, booklet: Booklet, articles: list[Article], by: User | None) -> Booklet:
    if by is not None:
        require(by, "knowledge.booklet", booklet)
    seen = set()
    ordered = [a for a in articles if not (a.pk in seen or seen.add(a.pk))]
    BookletItem.objects.filter(booklet=booklet).delete()
    BookletItem.objects.bulk_create(
        BookletItem(booklet=booklet, article=article, position=i)
        for i, article in enumerate(ordered, start=1)
    )
    return booklet


@transaction.atomic
def booklet_export_request(*, booklet: Booklet, language: str, by: User) -> BookletExport:
    require(by, "knowledge.booklet", booklet)
    if language not in language_codes():
        raise ValidationError({"language": _("Choose one of the languages Mosty ships.")})
    if not booklet.items.exists():
        raise ValidationError(_("Add at least one article to the booklet first."))
    export = BookletExport.objects.create(booklet=booklet, language=language, requested_by=by)
    audit(by, "mosty.knowledge.booklet.exported", export)
    transaction.on_commit(lambda: booklet_export_build.enqueue(export.pk))
    return export


@transaction.atomic
def article_file_add(
    *, article: Article, upload: Any, title: str, language: str, by: User
) -> ArticleFile:
    """Publishes a file with the article: a PDF as it is, an image re-encoded, under a
    random name (the uploaded name never reaches the disk)."""
    require(by, "knowledge.edit", article)
    content, extension = clean_document(upload)
    record = ArticleFile(
        article=article,
        title=title,
        language=language,
        kind=extension,
        size=len(content),
        created_by=by,
        updated_by=by,
    )
    record.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    return save_validated(record)


@transaction.atomic
def article_file_remove(*, record: ArticleFile, by: User) -> None:
    require(by, "knowledge.edit", record.article)
    stored = record.file.name or ""
    storage = record.file.storage
    record.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# Readers whose visits are not counted: crawlers that say what they are.
_ROBOTS = ("bot", "crawl", "spider", "slurp", "preview")


def article_view_count(
    *, article: Article, language: str, user_agent: str = "", day: Any = None
) -> bool:
    """Count one public read of `article` in `language` today: one row per article,
    language and day, incremented in place (`F("count") + 1`, so concurrent readers never
    lose a view). Nothing about the reader is kept and no audit event is written (the
    counter is in `NOT_AUDITED`). Crawlers that name themselves are not counted. Returns
    whether the view was counted."""
    if any(word in user_agent.casefold() for word in _ROBOTS):
        return False
    day = day or timezone.localdate()
    counter = ArticleViewCount.objects.filter(article=article, language=language, day=day)
    if counter.update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            ArticleViewCount.objects.create(article=article, language=language, day=day, count=1)
    except IntegrityError:
        # Another reader created today's row first.
        counter.update(count=F("count") + 1)
    return True
