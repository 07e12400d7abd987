from mosty.portal import views

app_name = "portal"

urlpatterns = views.routes.urlpatterns
