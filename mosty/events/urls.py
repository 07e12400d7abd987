from mosty.events import views

app_name = "events"

urlpatterns = views.routes.urlpatterns
