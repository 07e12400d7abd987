from django.urls import path

from mosty.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("apply/", views.MentorApply.as_view(), name="apply"),
    path("apply/thanks/", views.mentor_applied, name="applied"),
    path("", views.MentorHome.as_view(), name="home"),
    path("availability/", views.MentorAvailability.as_view(), name="availability"),
    path("mentors/", views.MentorList.as_view(), name="mentor_list"),
    path("mentors/<int:pk>/", views.MentorDetail.as_view(), name="mentor_detail"),
    path("mentors/<int:pk>/vet/", views.MentorVet.as_view(), name="mentor_vet"),
    path("matching/", views.matching, name="matching"),
    path("matching/recompute/", views.matching_recompute, name="matching_recompute"),
    path("matching/runs/<int:pk>/", views.matching_progress, name="matching_progress"),
    path("matching/propose/", views.matching_propose, name="propose"),
    path("matching/reject/", views.matching_reject, name="reject"),
    path("matching/by-hand/", views.matching_by_hand, name="by_hand"),
    path("matching/<int:pk>/mentors/", views.MatchingCandidates.as_view(), name="candidates"),
    path("matching/swap/", views.matching_swap, name="swap"),
    path("participants/<int:pk>/wishes/", views.ParticipantWishes.as_view(), name="wishes"),
    path("matches/", views.MatchList.as_view(), name="match_list"),
    path("matches/<int:pk>/", views.MatchDetail.as_view(), name="match_detail"),
    path("matches/<int:pk>/respond/", views.MatchRespond.as_view(), name="match_respond"),
    path("matches/<int:pk>/activate/", views.MatchActivate.as_view(), name="match_activate"),
    path("matches/<int:pk>/end/", views.MatchEnd.as_view(), name="match_end"),
    path("matches/<int:pk>/meetings/new/", views.MeetingLog.as_view(), name="meeting_log"),
    path("matches/<int:pk>/check-in/", views.CheckinRecord.as_view(), name="checkin"),
]
