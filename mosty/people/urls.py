from mosty.people import import_views, views

app_name = "people"

urlpatterns = [*views.routes.urlpatterns, *import_views.routes.urlpatterns]
