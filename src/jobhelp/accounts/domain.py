from django.db import transaction
from django.utils import timezone

from jobhelp.accounts.models import ApiToken, User
from jobhelp.core import audit, links
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


def user_for_api_key(raw_key: str) -> User | None:
    """The active owner of the live token `raw_key`, or None."""
    try:
        token = links.find(
            ApiToken.objects.select_related("user").filter(user__is_active=True), raw_key
        )
    except links.LinkProblem:
        return None
    now = timezone.now()
    # Recording use at most once a minute keeps API reads from turning into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
