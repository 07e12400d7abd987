from mosty.participation import views

app_name = "participation"

urlpatterns = views.routes.urlpatterns
