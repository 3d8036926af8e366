from jobhelp.accounts.domain import create_api_token, revoke_api_token, user_for_api_key
from jobhelp.accounts.models import ApiToken
from jobhelp.core.models import AuditEntry


def test_a_token_is_shown_once_and_stored_only_as_a_hash(front_desk):
    token, key = create_api_token(front_desk, name="kiosk", by=front_desk)

    assert key.startswith("jh_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.token_hash, stored.prefix)
    assert (stored.prefix, user_for_api_key(key)) == (key[3:11], front_desk)


def test_a_revoked_or_altered_token_authenticates_nobody(front_desk):
    token, key = create_api_token(front_desk, name="kiosk", by=front_desk)

    assert user_for_api_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    revoke_api_token(token, by=front_desk)
    assert user_for_api_key(key) is None
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "jobhelp.api_token.created",
        "jobhelp.api_token.revoked",
    ]


def test_a_deactivated_users_token_stops_working(front_desk):
    _token, key = create_api_token(front_desk, name="kiosk", by=front_desk)
    front_desk.is_active = False
    front_desk.save()

    assert user_for_api_key(key) is None
