"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.knowledge import api

urlpatterns = [
    path("knowledge/articles/", api.ArticleListApi.as_view(), name="knowledge_article_list"),
    path("knowledge/manage/new/", api.ArticleCreateApi.as_view(), name="knowledge_article_create"),
    path("knowledge/search/", api.ArticleSearchApi.as_view(), name="knowledge_search"),
    path(
        "knowledge/articles/<slug:slug>/",
        api.ArticleDetailApi.as_view(),
        name="knowledge_article_detail",
    ),
    path(
        "knowledge/manage/<int:pk>/",
        api.ArticleUpdateApi.as_view(),
        name="knowledge_article_update",
    ),
    path(
        "knowledge/manage/<int:pk>/translations/",
        api.TranslationListApi.as_view(),
        name="knowledge_translation_list",
    ),
    path(
        "knowledge/manage/<int:pk>/translations/<str:language>/",
        api.TranslationUpdateApi.as_view(),
        name="knowledge_translation_update",
    ),
    path(
        "knowledge/manage/<int:pk>/translations/<str:language>/publish/",
        api.TranslationPublishApi.as_view(),
        name="knowledge_translation_publish",
    ),
]
