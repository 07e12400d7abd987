"""Open Referral HSDS 3.0: the read API and the whole-directory exports, under /hsds/.

Each API view is one operation of Open Referral's OpenAPI and is routed at its path there
(`/services/{id}` -> `services/<hsds_id>`), so the routes cannot drift from the standard."""

from django.urls import path

from mosty.directory import hsds_api, views


def _route(hsds_path: str) -> str:
    return hsds_path.strip("/").replace("{id}", "<str:hsds_id>")


urlpatterns = [
    *(
        path(_route(view.hsds_path), view.as_view(), name=view.url_name)
        for view in hsds_api.OPERATIONS
    ),
    path("export.json", views.hsds_export, {"fmt": "json"}, name="export_json"),
    path("datapackage.zip", views.hsds_export, {"fmt": "zip"}, name="export_datapackage"),
]
