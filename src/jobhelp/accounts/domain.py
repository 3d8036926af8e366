from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jobhelp.accounts.models import ApiToken, User
from jobhelp.accounts.tenancy import works_somewhere
from jobhelp.core import audit, links
from jobhelp.core.prepared import Prepared
from jobhelp.core.tokens import hash_token, new_token


def create_api_token(user: User, *, name: str, by: User) -> tuple[ApiToken, str]:
    """Make a token and return it with its key, which is shown once and never stored.
    Not core.links.issue: the key starts with `jh_` (so people and secret scanners can tell
    it for one), and its first characters are kept to tell tokens apart.

    Side effects: audit entry ``jobhelp.api_token.created``.
    """
    raw_key = "jh_" + new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:80], prefix=raw_key[3:11], token_hash=hash_token(raw_key)
        )
        audit.record("jobhelp.api_token.created", actor=by, obj=token)
    return token, raw_key


def revoke_api_token(token: ApiToken, *, by: User) -> None:
    """Side effects: audit entry ``jobhelp.api_token.revoked``."""
    with transaction.atomic():
        links.revoke(ApiToken.objects.filter(pk=token.pk))
        audit.record("jobhelp.api_token.revoked", actor=by, obj=token)


# The user's columns, read with the token: the API's every call needs its owner.
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
_TOKEN = Prepared(
    lambda key_hash: (
        ApiToken.objects.filter(token_hash=key_hash, user__is_active=True)
        .annotate(owner_works=works_somewhere("user_id"))
        .values_list(
            "pk",
            "revoked_at",
            "expires_at",
            "last_used_at",
            "owner_works",
            *(f"user__{name}" for name in _USER_FIELDS),
        )
    ),
    key_hash=str,
)


def user_for_api_key(raw_key: str) -> User | None:
    """The active owner of the live token `raw_key`, or None, in one query: the owner comes
    with `works_for_an_organization` (accounts.tenancy) already read. It runs on every API
    call, so its SQL is built once (core.prepared)."""
    try:
        row = _TOKEN.first(key_hash=links.lookup_hash(raw_key))
        if row is None:
            raise links.LinkUnknown
        token_id, revoked_at, expires_at, last_used_at, owner_works, *user_values = row
        links.check_live(token_id, revoked_at=revoked_at, expires_at=expires_at)
    except links.LinkProblem:
        return None
    now = timezone.now()
    # Recording use at most once a minute keeps API reads from turning into writes.
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    user = User.from_db("default", _USER_FIELDS, user_values)
    user.works_for_an_organization = bool(owner_works)
    return user


def sign_out_everywhere(user: User) -> None:
    """End every session of `user`, on every computer, this one included: the session version
    is part of the hash each session keeps (User.get_session_auth_hash), so each ends at its
    next request.

    Side effects: audit entry ``jobhelp.user.signed_out_everywhere``.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
        audit.record("jobhelp.user.signed_out_everywhere", actor=user, obj=user)
    user.refresh_from_db(fields=["session_version"])
