from django.urls import path

from mosty.accounts import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.UserList.as_view(), name="user_list"),
    path("users/new/", views.UserCreate.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetail.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEdit.as_view(), name="user_edit"),
    path(
        "users/<int:pk>/memberships/new/",
        views.UserMembershipAdd.as_view(),
        name="user_membership_add",
    ),
    path("users/<int:pk>/grants/", views.user_grants, name="user_grants"),
    path("grants/", views.GrantList.as_view(), name="grant_list"),
    path("api-tokens/", views.ApiTokenList.as_view(), name="api_token_list"),
    path("account/api-token/", views.api_token, name="api_token"),
]
