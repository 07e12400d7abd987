"""`mosty rotate-keys`: re-encrypt every encrypted field with the primary (first) key."""

from django.core.management.base import BaseCommand

from mosty.access.audit import audit, summarised
from mosty.core.crypto import encrypted_fields, rotate_model


class Command(BaseCommand):
    help = (
        "Re-encrypt all data encrypted at rest with the first key of MOSTY_ENCRYPTION_KEYS; "
        "afterwards the older keys can be removed."
    )

    def handle(self, *args, **options):
        total = 0
        for model, fields in encrypted_fields():
            with summarised():  # one event below, not one per re-encrypted row
                done = rotate_model(model, fields)
            total += done
            self.stdout.write(f"{model._meta.label}: {done:,} rows ({', '.join(fields)})")
        audit(None, "mosty.core.encryption.keys_rotated", details={"rows": total})
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total:,} rows."))
