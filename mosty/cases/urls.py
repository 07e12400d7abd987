from mosty.cases import views

app_name = "cases"

urlpatterns = views.routes.urlpatterns
