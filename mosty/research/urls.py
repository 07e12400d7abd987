from mosty.research import views

app_name = "research"
urlpatterns = views.routes.urlpatterns
