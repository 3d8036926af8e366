from ninja.security import HttpBearer

from jobhelp.accounts.domain import user_for_api_key


class StaffToken(HttpBearer):
    """A staff member's API token, sent as `Authorization: Bearer <token>`.

    Read afresh on every call, never cached: one indexed query finds the token with its
    active owner, one more asks whether the owner still works for an organization (the
    "accounts.enter_staff_area" permission). Revoking a token or ending a membership takes effect
    on the very next call."""

    openapi_description = "A staff API token, created on the staff 'API tokens' page."

    def authenticate(self, request, token: str):
        user = user_for_api_key(token)
        if user is None or not user.has_perm("accounts.enter_staff_area"):
            return None
        request.user = user
        return user
