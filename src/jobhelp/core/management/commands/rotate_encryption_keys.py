"""Re-encrypt every encrypted field, and every value an app registered (core.crypto's
register_rotation: temporary card numbers), with the first of FIELD_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand
from django.db import transaction

from jobhelp.core import audit
from jobhelp.core.crypto import encrypted_fields, reencrypt, rotations


class Command(BaseCommand):
    help = (
        "Re-encrypt the sensitive free text (intake notes, private session notes, referral "
        "notes) and the temporary card numbers with the first key of "
        "JOBHELP_FIELD_ENCRYPTION_KEYS. Run it after putting a new "
        "key first; remove the old key only afterwards. Safe to run twice or to stop midway."
    )

    def handle(self, *args, **options):
        counts = {}
        for model, names in encrypted_fields():
            label = f"{model._meta.app_label}_{model._meta.model_name}"
            counts[label] = reencrypt(model, names)
            self.stdout.write(f"{label}: {counts[label]} rows re-encrypted")
        for label, rewrite in rotations().items():
            counts[label] = rewrite()
            self.stdout.write(f"{label}: {counts[label]} rows re-encrypted")
        with transaction.atomic():
            audit.record("jobhelp.encryption.rotated", data=counts)
