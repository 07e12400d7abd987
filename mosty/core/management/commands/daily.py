from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Hand the daily jobs (MOSTY_DAILY_TASKS: task reminders, data retention) to the "
        "background worker. Run once a day from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        for path in settings.MOSTY_DAILY_TASKS:
            result = import_string(path).enqueue()
            self.stdout.write(f"{path}: enqueued {result.id}")
