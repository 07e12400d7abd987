from django.urls import path

from mosty.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationList.as_view(), name="list"),
    path("new/", views.OrganisationCreate.as_view(), name="create"),
    path("<int:pk>/", views.OrganisationDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganisationEdit.as_view(), name="edit"),
    path("<int:pk>/members/", views.OrganisationMembers.as_view(), name="members"),
    path("memberships/<int:pk>/end/", views.MembershipEnd.as_view(), name="membership_end"),
]
