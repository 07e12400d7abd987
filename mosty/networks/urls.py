from mosty.networks import views

app_name = "networks"

urlpatterns = views.routes.urlpatterns
