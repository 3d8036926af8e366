"""Re-encrypt every encrypted field with the first of FIELD_ENCRYPTION_KEYS (core.crypto)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from jobhelp.core import audit
from jobhelp.core.crypto import encrypted_fields, reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt the sensitive free text (intake notes, private session notes, referral "
        "notes) with the first key of JOBHELP_FIELD_ENCRYPTION_KEYS. Run it after putting a new "
        "key first; remove the old key only afterwards. Safe to run twice or to stop midway."
    )

    def handle(self, *args, **options):
        counts = {}
        for model, names in encrypted_fields():
            label = f"{model._meta.app_label}_{model._meta.model_name}"
            counts[label] = reencrypt(model, names)
            self.stdout.write(f"{label}: {counts[label]} rows re-encrypted")
        with transaction.atomic():
            audit.record("jobhelp.encryption.rotated", data=counts)
