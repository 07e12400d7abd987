from django.urls import path

from mosty.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.KnowledgeIndex.as_view(), name="index"),
    path("category/<slug:category>/", views.KnowledgeCategory.as_view(), name="category"),
    path("a/<slug:slug>/", views.KnowledgeArticle.as_view(), name="article"),
    path("search/", views.KnowledgeSearch.as_view(), name="search"),
    path("offline/", views.knowledge_offline, name="offline"),
    path("queue/", views.TranslationQueue.as_view(), name="queue"),
    path("manage/", views.ArticleManageList.as_view(), name="manage"),
    path("manage/new/", views.ArticleCreate.as_view(), name="article_create"),
    path("manage/xliff/export/", views.xliff_export, name="xliff_export"),
    path("manage/xliff/import/", views.xliff_import, name="xliff_import"),
    path("manage/<int:pk>/", views.ArticleDetail.as_view(), name="article_detail"),
    path("manage/<int:pk>/edit/", views.ArticleEdit.as_view(), name="article_edit"),
    path("manage/<int:pk>/assign/", views.TranslationAssign.as_view(), name="translation_assign"),
    path(
        "manage/<int:pk>/translations/<str:language>/",
        views.TranslationEdit.as_view(),
        name="translation_edit",
    ),
    path(
        "manage/<int:pk>/translations/<str:language>/publish/",
        views.TranslationPublish.as_view(),
        name="translation_publish",
    ),
    path(
        "manage/<int:pk>/translations/<str:language>/machine/",
        views.TranslationMachine.as_view(),
        name="translation_machine",
    ),
    path("booklets/", views.BookletList.as_view(), name="booklet_list"),
    path("booklets/new/", views.BookletCreate.as_view(), name="booklet_create"),
    path("booklets/<int:pk>/", views.BookletDetail.as_view(), name="booklet_detail"),
    path("booklets/<int:pk>/export/", views.BookletExportRequest.as_view(), name="booklet_export"),
    path(
        "booklets/exports/<int:pk>/",
        views.BookletExportStatus.as_view(),
        name="booklet_export_status",
    ),
    path(
        "booklets/exports/<int:pk>/download/",
        views.BookletDownload.as_view(),
        name="booklet_download",
    ),
]
