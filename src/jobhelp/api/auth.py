from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer

from jobhelp.accounts.domain import user_for_api_key
from jobhelp.core import freshness
from jobhelp.core.tokens import hash_token


def _owner(raw_key: str) -> int | None:
    user = user_for_api_key(raw_key)
    if user is None or not user.has_perm("intake.take_request"):
        return None
    return user.pk


def _active_user(user_id: int):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        # Removed or deactivated after the call was let in (the next call is refused).
        raise PermissionDenied
    return user


class StaffToken(HttpBearer):
    """A staff member's API token, sent as `Authorization: Bearer <token>`.

    Who owns a token, and whether they may use the API, is kept under core.freshness's stamp
    (tokens, people and their memberships are among the tables that move it), so revoking a
    token or a membership takes effect on the next call. The owner is loaded only when the
    endpoint needs them: a cached slot page does not. Its "last used" time is recorded when
    the entry is made, at most once a minute (entries expire after CACHE_SECONDS)."""

    openapi_description = "A staff API token, created on the staff 'API tokens' page."

    def authenticate(self, request, token: str):
        user_id = freshness.cached(("api.token", hash_token(token)), lambda: _owner(token))
        if user_id is None:
            return None
        request.auth_user_id = user_id
        request.user = SimpleLazyObject(lambda: _active_user(user_id))
        # request.auth is the owner's id: ninja tests it for truth, which would load a user.
        return user_id
