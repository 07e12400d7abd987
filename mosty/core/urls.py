from mosty.core import views

app_name = "core"

urlpatterns = views.routes.urlpatterns
