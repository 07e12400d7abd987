"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.mentoring import api

urlpatterns = [
    path("mentoring/apply/", api.MentorApplyApi.as_view(), name="mentor_apply"),
    path("mentoring/mentors/", api.MentorListApi.as_view(), name="mentor_list"),
    path("mentoring/mentors/<int:pk>/", api.MentorDetailApi.as_view(), name="mentor_detail"),
    path("mentoring/matches/", api.MatchListApi.as_view(), name="match_list"),
    path("mentoring/matches/<int:pk>/", api.MatchDetailApi.as_view(), name="match_detail"),
    path("mentoring/matches/<int:pk>/meetings/", api.MeetingListApi.as_view(), name="meeting_list"),
    path(
        "mentoring/matches/<int:pk>/meetings/new/",
        api.MeetingCreateApi.as_view(),
        name="meeting_create",
    ),
    path("mentoring/proposals/", api.MatchingProposalsApi.as_view(), name="matching_proposals"),
]
