from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosstrainingConfig(AppConfig):
    name = "jobhelp.crosstraining"
    label = "crosstraining"
    verbose_name = _("Cross-training and temporary library cards")

    def ready(self):
        # A training held is the record of the MOU's tours and staff trainings
        # (partnerships.evidence); the card pool's evidence is its live summary, in counts.
        from jobhelp.crosstraining.evidence import card_pool_evidence
        from jobhelp.crosstraining.models import Training
        from jobhelp.crosstraining.queries import trainings_for_user
        from jobhelp.partnerships import evidence
        from jobhelp.partnerships.enums import ObligationKind

        evidence.register(Training, code="training", visible_to=trainings_for_user)
        evidence.register_live(ObligationKind.CARDS, card_pool_evidence)

        # Card numbers are encrypted with core.crypto's keys; rotate_encryption_keys rewrites
        # them too.
        from jobhelp.core import crypto
        from jobhelp.crosstraining.lending import reencrypt_cards

        crypto.register_rotation("crosstraining_card", reencrypt_cards)
