from mosty.knowledge import views

app_name = "knowledge"

urlpatterns = views.routes.urlpatterns
