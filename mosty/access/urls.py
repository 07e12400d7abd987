from mosty.access import views

app_name = "access"

urlpatterns = views.routes.urlpatterns
