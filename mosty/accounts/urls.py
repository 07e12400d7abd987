from mosty.accounts import views

app_name = "accounts"

urlpatterns = views.routes.urlpatterns
