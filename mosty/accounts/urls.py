from django.urls import path

from mosty.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/memberships/new/", views.user_membership_add, name="user_membership_add"),
    path("users/<int:pk>/grants/", views.user_grants, name="user_grants"),
    path("grants/", views.grant_list, name="grant_list"),
    path("api-tokens/", views.api_token_list, name="api_token_list"),
    path("account/api-token/", views.api_token, name="api_token"),
]
