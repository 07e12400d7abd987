from mosty.organisations import views

app_name = "organisations"

urlpatterns = views.routes.urlpatterns
