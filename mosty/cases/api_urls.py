"""API routes of this module, included under /api/."""

from django.urls import path

from mosty.cases import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case_list"),
    path("cases/create/", api.CaseCreateApi.as_view(), name="case_create"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case_detail"),
    path("cases/<int:pk>/status/", api.CaseStatusApi.as_view(), name="case_status"),
    path("cases/<int:pk>/assessments/", api.AssessmentListApi.as_view(), name="case_assessments"),
    path(
        "cases/<int:pk>/assessments/create/",
        api.AssessmentCreateApi.as_view(),
        name="case_assessment_create",
    ),
    path("cases/<int:pk>/plan/", api.PlanApi.as_view(), name="case_plan"),
    path("cases/<int:pk>/plan/decide/", api.PlanDecideApi.as_view(), name="case_plan_decide"),
    path("cases/<int:pk>/goals/", api.GoalCreateApi.as_view(), name="case_goal_create"),
    path("cases/goals/<int:pk>/tasks/", api.TaskCreateApi.as_view(), name="case_task_create"),
    path("cases/<int:pk>/referrals/", api.ReferralCreateApi.as_view(), name="case_referral_create"),
    path("cases/<int:pk>/notes/", api.NoteListApi.as_view(), name="case_notes"),
    path("cases/<int:pk>/notes/create/", api.NoteCreateApi.as_view(), name="case_note_create"),
    path("cases/tasks/<int:pk>/status/", api.TaskStatusApi.as_view(), name="case_task_status"),
    path("cases/<int:pk>/support/", api.SupportLogListApi.as_view(), name="case_support"),
    path(
        "cases/<int:pk>/support/create/",
        api.SupportLogCreateApi.as_view(),
        name="case_support_create",
    ),
    path("referrals/", api.ReferralListApi.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", api.ReferralDetailApi.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/respond/", api.ReferralRespondApi.as_view(), name="referral_respond"),
]
