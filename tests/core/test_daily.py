from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def test_daily_hands_each_daily_job_to_the_worker(db, settings, capsys):
    call_command("daily")
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == set(settings.MOSTY_DAILY_TASKS)
    assert "task_reminders_sweep: enqueued" in capsys.readouterr().out
