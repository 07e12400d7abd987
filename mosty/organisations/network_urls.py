from mosty.organisations import network_views

app_name = "networks"

urlpatterns = network_views.routes.urlpatterns
