from django.core.management.base import BaseCommand

from mosty.people import gdpr


class Command(BaseCommand):
    help = (
        "Anonymise participants whose cases closed longer than MOSTY_RETENTION_DAYS ago "
        "(run daily from cron, or with --enqueue through the task worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count who is due.")
        parser.add_argument("--enqueue", action="store_true", help="Run it as a background task.")

    def handle(self, *args, dry_run=False, enqueue=False, **options):
        if dry_run:
            self.stdout.write(f"{len(gdpr.retention_due())} participant(s) due for anonymisation.")
            return
        if enqueue:
            from mosty.people.tasks import participant_retention_run

            result = participant_retention_run.enqueue()
            self.stdout.write(f"Enqueued retention task {result.id}.")
            return
        done = gdpr.retention_run()
        self.stdout.write(self.style.SUCCESS(f"{done} participant(s) anonymised."))
