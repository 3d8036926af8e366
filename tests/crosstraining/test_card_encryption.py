"""Card numbers are encrypted with core.crypto's keys (JOBHELP_FIELD_ENCRYPTION_KEYS): one
mechanism with the notes. rotate_encryption_keys re-encrypts them and their fingerprints; the
same card still cannot join twice during and after a rotation. Migration 0003 moves numbers
stored under the old card keys (JOBHELP_CARD_KEYS, or the key derived from SECRET_KEY that the
demo database used) to core.crypto, and back."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from jobhelp.core import crypto
from jobhelp.core.models import AuditEntry
from jobhelp.crosstraining.errors import CrosstrainingError
from jobhelp.crosstraining.lending import add_card
from jobhelp.crosstraining.models import Card
from tests.factories.crosstraining import card_number
from tests.factories.organizations import LocationFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "jobhelp.crosstraining.migrations.0003_card_numbers_in_core_crypto"
)

NUMBER = card_number(7311)
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def branch(library):
    return LocationFactory(organization=library, name="Central Library")


def stored(card) -> Card:
    return Card.objects.get(pk=card.pk)


def test_rotation_re_encrypts_card_numbers_and_their_fingerprints(
    settings, library, front_desk, branch
):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    card = add_card(library, by=front_desk, number=NUMBER, branch=branch)
    before = stored(card)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    # Mid-rotation the same card is still recognised by its fingerprint under the old key.
    with pytest.raises(CrosstrainingError, match="already in a pool"):
        add_card(library, by=front_desk, number=NUMBER, branch=branch)
    call_command("rotate_encryption_keys")

    after = stored(card)
    assert after.number_encrypted != before.number_encrypted
    assert after.number_digest != before.number_digest
    assert (
        AuditEntry.objects.get(action="jobhelp.encryption.rotated").data["crosstraining_card"] == 1
    )
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert crypto.decrypt(after.number_encrypted) == NUMBER
    assert after.number_digest == crypto.fingerprint(NUMBER)
    with pytest.raises(CrosstrainingError, match="already in a pool"):
        add_card(library, by=front_desk, number=NUMBER, branch=branch)
    # Without the key it was written with, a number fails loudly rather than reading wrong.
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(after.number_encrypted)


def legacy_card(library, branch, number=NUMBER) -> Card:
    """A card as crosstraining.cipher stored it before migration 0003."""
    return Card.objects.create(
        library=library,
        branch=branch,
        number_encrypted=migration.legacy_encrypt(number),
        number_digest=migration.legacy_digest(number),
        last_four=number[-4:],
    )


@pytest.mark.parametrize("card_keys", [[], [OLD]], ids=["derived-as-in-the-demo", "card-keys"])
def test_the_migration_moves_old_numbers_to_core_crypto_and_back(
    settings, library, front_desk, branch, card_keys
):
    settings.CROSSTRAINING_CARD_KEYS = card_keys
    if card_keys:
        settings.DEBUG = False
        settings.SECRET_KEY = "a-production-secret-" + "x" * 40
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    card = legacy_card(library, branch)
    other = legacy_card(library, branch, card_number(7312))
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(stored(card).number_encrypted)

    migration.to_core_crypto(apps, None)
    migration.to_core_crypto(apps, None)  # twice: already moved, left as it is

    for row, number in [(stored(card), NUMBER), (stored(other), card_number(7312))]:
        assert crypto.decrypt(row.number_encrypted) == number
        assert row.number_digest == crypto.fingerprint(number)
    with pytest.raises(CrosstrainingError, match="already in a pool"):
        add_card(library, by=front_desk, number=NUMBER, branch=branch)

    migration.to_card_keys(apps, None)
    back = stored(card)
    assert back.number_digest == migration.legacy_digest(NUMBER)
    assert (
        Fernet(migration.legacy_keys()[0]).decrypt(back.number_encrypted.encode()).decode()
        == NUMBER
    )


def test_a_number_no_key_opens_stops_the_migration_with_what_to_do(settings, library, branch):
    settings.CROSSTRAINING_CARD_KEYS = [OLD]
    card = legacy_card(library, branch)
    kept = stored(card).number_encrypted
    settings.CROSSTRAINING_CARD_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured, match="set JOBHELP_CARD_KEYS"):
        migration.to_core_crypto(apps, None)
    assert stored(card).number_encrypted == kept
