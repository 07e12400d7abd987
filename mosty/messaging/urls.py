from mosty.messaging import views

app_name = "messaging"

urlpatterns = views.routes.urlpatterns
