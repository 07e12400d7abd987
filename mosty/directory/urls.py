from mosty.directory import views

app_name = "directory"

urlpatterns = views.routes.urlpatterns
