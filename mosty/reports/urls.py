from mosty.reports import views

app_name = "reports"
urlpatterns = views.routes.urlpatterns
