from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from mosty.access.audit import acting_as
from mosty.mentoring import runs
from mosty.mentoring.models import MatchingRun


@task()
def mentor_decision_notify(mentor_id: int, login_url: str = "") -> int:
    """Tell an applicant, in their own language, that they were approved or not."""
    from mosty.accounts.tasks import send_email
    from mosty.mentoring.models import Mentor, VettingStatus

    mentor = Mentor.objects.select_related("organisation").get(pk=mentor_id)
    approved = mentor.status == VettingStatus.APPROVED
    with translation.override(mentor.language):
        context = {"mentor": mentor, "login_url": login_url, "approved": approved}
        subject = render_to_string("mentoring/mail/decision_subject.txt", context).strip()
        body = render_to_string("mentoring/mail/decision_body.txt", context)
    return send_email.call(subject=subject, body=body, to=[mentor.email])


@task()
def matching_run_compute(run_id: int) -> int:
    """Compute a coordinator's matching proposals and store them (the matching page reads
    them); returns how many proposals were stored."""
    run = MatchingRun.objects.select_related("created_by").get(pk=run_id)
    # The worker computes on behalf of whoever asked: the audit says so.
    with acting_as(run.created_by):
        return runs.compute(run_id)


@task()
def matching_run_stale_sweep() -> int:
    """Mark matching runs whose worker died as failed (daily), so the page says so and a
    coordinator may queue a new one."""
    return runs.fail_stale()
