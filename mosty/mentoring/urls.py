from mosty.mentoring import views

app_name = "mentoring"

urlpatterns = views.routes.urlpatterns
