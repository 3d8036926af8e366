from ninja.security import HttpBearer

from jobhelp.accounts.domain import user_for_api_key
from jobhelp.core import security


class StaffToken(HttpBearer):
    """A staff member's API token, sent as `Authorization: Bearer <token>`.

    Read afresh on every call, never cached: one indexed query finds the token with its
    active owner and whether the owner still works for an organization (the door of the staff
    area, accounts.tenancy.works_for_an_organization; a superuser passes it as on the staff
    pages). Revoking a token or ending a membership takes effect on the very next call."""

    openapi_description = "A staff API token, created on the staff 'API tokens' page."

    def authenticate(self, request, token: str):
        user = user_for_api_key(token)
        if user is None or not (user.works_for_an_organization or user.is_superuser):
            security.event("api.bad_token", request=request)
            return None
        request.user = user
        return user
