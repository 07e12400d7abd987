from django.urls import path

from mosty.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseList.as_view(), name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.CaseCreate.as_view(), name="create"),
    path("<int:pk>/", views.CaseDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CaseEdit.as_view(), name="edit"),
    path("<int:pk>/status/", views.CaseStatusChange.as_view(), name="status"),
    path("<int:pk>/assessments/new/", views.AssessmentCreate.as_view(), name="assessment_create"),
    path("<int:pk>/progress/", views.CaseProgress.as_view(), name="progress"),
    path("<int:pk>/goals/new/", views.GoalCreate.as_view(), name="goal_create"),
    path("goals/<int:pk>/edit/", views.GoalEdit.as_view(), name="goal_edit"),
    path("goals/<int:pk>/tasks/new/", views.TaskCreate.as_view(), name="task_create"),
    path("tasks/<int:pk>/status/", views.TaskStatusChange.as_view(), name="task_status"),
    path("tasks/<int:pk>/done/", views.TaskDone.as_view(), name="task_done"),
    path("tasks/<int:pk>/delete/", views.TaskDelete.as_view(), name="task_delete"),
    path("<int:pk>/plan/request/", views.PlanRequest.as_view(), name="plan_request"),
    path("<int:pk>/plan/decide/", views.PlanDecide.as_view(), name="plan_decide"),
    path("<int:pk>/referrals/new/", views.ReferralCreate.as_view(), name="referral_create"),
    path("<int:pk>/notes/", views.NoteList.as_view(), name="note_list"),
    path("<int:pk>/notes/new/", views.NoteCreate.as_view(), name="note_create"),
    path("<int:pk>/support/new/", views.SupportCreate.as_view(), name="support_create"),
    path("referrals/", views.ReferralList.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", views.ReferralDetail.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/accept/", views.ReferralAccept.as_view(), name="referral_accept"),
    path("referrals/<int:pk>/decline/", views.ReferralDecline.as_view(), name="referral_decline"),
    path(
        "referrals/<int:pk>/complete/", views.ReferralComplete.as_view(), name="referral_complete"
    ),
    path(
        "referrals/<int:pk>/withdraw/", views.ReferralWithdraw.as_view(), name="referral_withdraw"
    ),
]
