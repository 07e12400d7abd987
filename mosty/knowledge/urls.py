from django.urls import path

from mosty.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.knowledge_index, name="index"),
    path("category/<slug:category>/", views.knowledge_category, name="category"),
    path("a/<slug:slug>/", views.knowledge_article, name="article"),
    path("search/", views.knowledge_search, name="search"),
    path("offline/", views.knowledge_offline, name="offline"),
    path("queue/", views.translation_queue, name="queue"),
    path("manage/", views.article_manage_list, name="manage"),
    path("manage/new/", views.article_create, name="article_create"),
    path("manage/xliff/export/", views.xliff_export, name="xliff_export"),
    path("manage/xliff/import/", views.xliff_import, name="xliff_import"),
    path("manage/<int:pk>/", views.article_detail, name="article_detail"),
    path("manage/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("manage/<int:pk>/assign/", views.translation_assign, name="translation_assign"),
    path(
        "manage/<int:pk>/translations/<str:language>/",
        views.translation_edit,
        name="translation_edit",
    ),
    path(
        "manage/<int:pk>/translations/<str:language>/publish/",
        views.translation_publish,
        name="translation_publish",
    ),
    path(
        "manage/<int:pk>/translations/<str:language>/machine/",
        views.translation_machine,
        name="translation_machine",
    ),
    path("booklets/", views.booklet_list, name="booklet_list"),
    path("booklets/new/", views.booklet_create, name="booklet_create"),
    path("booklets/<int:pk>/", views.booklet_detail, name="booklet_detail"),
    path("booklets/<int:pk>/export/", views.booklet_export, name="booklet_export"),
    path("booklets/exports/<int:pk>/", views.booklet_export_status, name="booklet_export_status"),
    path("booklets/exports/<int:pk>/download/", views.booklet_download, name="booklet_download"),
]
