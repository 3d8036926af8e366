"""Sensitive free text is encrypted at rest, readable with any configured key, re-encrypted by
rotate_encryption_keys, and emptiness still filters."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from jobhelp.casework.models import HelpSession
from jobhelp.core.crypto import TOKEN_PREFIX, reencrypt, write_plain
from jobhelp.core.models import AuditEntry
from jobhelp.intake.models import HelpRequest, RequestNote
from jobhelp.referrals.models import Consent, Referral
from tests.factories.casework import HelpSessionFactory
from tests.factories.intake import HelpRequestFactory
from tests.factories.referrals import ConsentFactory, ReferralFactory

pytestmark = pytest.mark.django_db

SECRET = "Laid off from the Anoka plant; daughter Lupita translates."
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    return settings


def test_every_sensitive_note_is_stored_as_a_token_and_read_as_text(keys, helper):
    request = HelpRequestFactory(note=SECRET)
    note = RequestNote.objects.create(request=request, author=helper, text=SECRET)
    session = HelpSessionFactory(request=request, private_note=SECRET)
    referral = ReferralFactory(note=SECRET)
    consent = ConsentFactory(referral=referral, notes=SECRET)
    for model, obj, column in [
        (HelpRequest, request, "note"),
        (RequestNote, note, "text"),
        (HelpSession, session, "private_note"),
        (Referral, referral, "note"),
        (Consent, consent, "notes"),
    ]:
        stored = raw(model, obj.pk, column)
        assert stored.startswith(TOKEN_PREFIX)
        assert "Anoka" not in stored
        assert getattr(model.objects.get(pk=obj.pk), column) == SECRET


def test_an_empty_note_stays_empty_and_still_filters(keys):
    HelpSessionFactory(private_note="")
    with_note = HelpSessionFactory(private_note=SECRET)
    assert (
        raw(HelpSession, HelpSession.objects.exclude(pk=with_note.pk).get().pk, "private_note")
        == ""
    )
    assert list(HelpSession.objects.exclude(private_note="")) == [with_note]


def test_rotation_re_encrypts_with_the_new_key_and_the_old_can_then_go(keys, capsys):
    request = HelpRequestFactory(note=SECRET)
    before = raw(HelpRequest, request.pk, "note")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    # Readable during the change, with either key.
    assert HelpRequest.objects.get(pk=request.pk).note == SECRET
    call_command("rotate_encryption_keys")
    after = raw(HelpRequest, request.pk, "note")
    assert after != before and after.startswith(TOKEN_PREFIX)
    assert (
        AuditEntry.objects.get(action="jobhelp.encryption.rotated").data["intake_helprequest"] == 1
    )
    keys.FIELD_ENCRYPTION_KEYS = [NEW]
    assert HelpRequest.objects.get(pk=request.pk).note == SECRET
    # Without the key it was written with, a note is not silently lost: it fails loudly.
    keys.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        HelpRequest.objects.get(pk=request.pk)


def test_the_migration_encrypts_rows_written_in_the_clear_and_its_reverse_decrypts(keys):
    request = HelpRequestFactory(note=SECRET)
    write_plain(HelpRequest, ["note"])
    assert raw(HelpRequest, request.pk, "note") == SECRET
    # A row from before the migration is read as it is until it is rewritten.
    assert HelpRequest.objects.get(pk=request.pk).note == SECRET
    assert reencrypt(HelpRequest, ["note"]) == 1
    assert raw(HelpRequest, request.pk, "note").startswith(TOKEN_PREFIX)
    assert HelpRequest.objects.get(pk=request.pk).note == SECRET
