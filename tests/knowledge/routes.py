from tests.access_matrix import Route
from tests.knowledge import factories

EDITORS = frozenset({"admin", "coordinator"})


def _article(world):
    if "kb_article" not in world.extra:
        a = factories.article(slug="pesel", by=world.user("coordinator"))
        factories.translation(a, language="en")
        world.extra["kb_article"] = a
    return world.extra["kb_article"]


def _pk(world):
    return {"pk": _article(world).pk}


def _tr(world):
    return {"pk": _article(world).pk, "language": "en"}


def _booklet(world):
    from mosty.knowledge import services

    if "kb_booklet" not in world.extra:
        world.extra["kb_booklet"] = services.booklet_create(
            title="Informator", articles=[_article(world)], by=world.user("coordinator")
        )
    return world.extra["kb_booklet"]


def _export(world, done=False):
    from django.core.files.base import ContentFile

    from mosty.knowledge.models import BookletExport, ExportStatus

    export = BookletExport.objects.create(booklet=_booklet(world), language="pl")
    if done:
        export.pdf.save("test.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
        export.status = ExportStatus.DONE
        export.save()
    return {"pk": export.pk}


ROUTES = [
    Route("knowledge:index", public=True),
    Route("knowledge:category", public=True, kwargs=lambda w: {"category": "documents"}),
    Route("knowledge:article", public=True, kwargs=lambda w: {"slug": _article(w).slug}),
    Route("knowledge:search", public=True, query="q=pesel"),
    Route("knowledge:offline", public=True),
    Route("knowledge:queue", allowed=EDITORS, org_scoped=False),
    Route("knowledge:manage", allowed=EDITORS, org_scoped=False),
    Route("knowledge:article_create", allowed=EDITORS, org_scoped=False),
    Route("knowledge:article_detail", allowed=EDITORS, org_scoped=False, kwargs=_pk),
    Route("knowledge:article_edit", allowed=EDITORS, org_scoped=False, kwargs=_pk),
    Route(
        "knowledge:translation_assign",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=_pk,
        method="post",
        data=lambda w: {"language": "uk", "translator": w.user("mentor").email},
        ok=(302,),
    ),
    Route("knowledge:translation_edit", allowed=EDITORS, org_scoped=False, kwargs=_tr),
    Route(
        "knowledge:translation_publish",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=_tr,
        method="post",
        ok=(302,),
    ),
    Route(
        "knowledge:translation_machine",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=lambda w: {"pk": _article(w).pk, "language": "fr"},
        method="post",
        ok=(302,),
        note="machine translation is off in tests: the editor gets a message, not a draft",
    ),
    Route("knowledge:xliff_export", allowed=EDITORS, org_scoped=False, query="language=en"),
    Route("knowledge:xliff_import", allowed=EDITORS, org_scoped=False),
    Route("knowledge:booklet_list", allowed=EDITORS, org_scoped=False),
    Route("knowledge:booklet_create", allowed=EDITORS, org_scoped=False),
    Route(
        "knowledge:booklet_detail",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=lambda w: {"pk": _booklet(w).pk},
    ),
    Route(
        "knowledge:booklet_export",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=lambda w: {"pk": _booklet(w).pk},
        method="post",
        data=lambda w: {"language": "pl"},
        ok=(302,),
    ),
    Route("knowledge:booklet_export_status", allowed=EDITORS, org_scoped=False, kwargs=_export),
    Route(
        "knowledge:booklet_download",
        allowed=EDITORS,
        org_scoped=False,
        kwargs=lambda w: _export(w, done=True),
    ),
]


def _article_input(world):
    return {
        "slug": "nowy",
        "category": "housing",
        "audience": "newcomers",
        "source_language": "pl",
        "title": "Mieszkanie",
        "body": "Tekst",
    }


ROUTES += [
    Route("api:knowledge_article_list", public=True, api=True, query="language=en"),
    Route(
        "api:knowledge_article_detail",
        public=True,
        api=True,
        kwargs=lambda w: {"slug": _article(w).slug},
    ),
    Route("api:knowledge_search", public=True, api=True, query="q=pesel&language=pl"),
    Route(
        "api:knowledge_article_create",
        allowed=EDITORS,
        org_scoped=False,
        api=True,
        method="post",
        data=_article_input,
        ok=(201,),
    ),
    Route(
        "api:knowledge_article_update",
        allowed=EDITORS,
        org_scoped=False,
        api=True,
        method="put",
        kwargs=_pk,
        data=lambda w: {"title": "PESEL", "body": "Nowy tekst"},
    ),
    Route(
        "api:knowledge_translation_list", allowed=EDITORS, org_scoped=False, api=True, kwargs=_pk
    ),
    Route(
        "api:knowledge_translation_update",
        allowed=EDITORS,
        org_scoped=False,
        api=True,
        method="put",
        kwargs=_tr,
        data=lambda w: {"title": "PESEL", "body": "New text", "submit": True},
    ),
    Route(
        "api:knowledge_translation_publish",
        allowed=EDITORS,
        org_scoped=False,
        api=True,
        method="post",
        kwargs=_tr,
    ),
]


def _file(world):
    from django.core.files.base import ContentFile

    from mosty.knowledge.models import ArticleFile

    record = ArticleFile(article=_article(world), title="Raport", kind="pdf", size=13)
    record.file.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    record.save()
    return record


ROUTES += [
    Route("knowledge:article_files", allowed=EDITORS, org_scoped=False, kwargs=_pk),
    Route(
        "knowledge:article_file_remove",
        allowed=EDITORS,
        org_scoped=False,
        method="post",
        kwargs=lambda w: {"pk": _file(w).pk},
        ok=(302,),
    ),
    Route(
        "knowledge:article_file",
        public=True,
        kwargs=lambda w: {"slug": _article(w).slug, "pk": _file(w).pk},
    ),
]
