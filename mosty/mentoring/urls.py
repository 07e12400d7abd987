from django.urls import path

from mosty.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("apply/", views.mentor_apply, name="apply"),
    path("apply/thanks/", views.mentor_applied, name="applied"),
    path("", views.mentor_home, name="home"),
    path("availability/", views.mentor_availability, name="availability"),
    path("mentors/", views.mentor_list, name="mentor_list"),
    path("mentors/<int:pk>/", views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/vet/", views.mentor_vet, name="mentor_vet"),
    path("matching/", views.matching, name="matching"),
    path("matching/recompute/", views.matching_recompute, name="matching_recompute"),
    path("matching/runs/<int:pk>/", views.matching_progress, name="matching_progress"),
    path("matching/propose/", views.matching_propose, name="propose"),
    path("matching/reject/", views.matching_reject, name="reject"),
    path("matching/by-hand/", views.matching_by_hand, name="by_hand"),
    path("matching/<int:pk>/mentors/", views.matching_candidates, name="candidates"),
    path("matching/swap/", views.matching_swap, name="swap"),
    path("participants/<int:pk>/wishes/", views.participant_wishes, name="wishes"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/respond/", views.match_respond, name="match_respond"),
    path("matches/<int:pk>/activate/", views.match_activate, name="match_activate"),
    path("matches/<int:pk>/end/", views.match_end, name="match_end"),
    path("matches/<int:pk>/meetings/new/", views.meeting_log, name="meeting_log"),
    path("matches/<int:pk>/check-in/", views.checkin_record, name="checkin"),
]
