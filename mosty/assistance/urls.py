from mosty.assistance import views

app_name = "assistance"

urlpatterns = views.routes.urlpatterns
