"""A person's own API tokens: making one (its key shown once) and revoking one."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobhelp.accounts.domain import create_api_token, revoke_api_token
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.forms.tokens import ApiTokenForm


@staff_member_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and _needs_second_factor(request):
        # Holding a token makes two-factor sign-in required, so it is made only from a session
        # that has passed it; the token itself is then the API's only credential.
        messages.error(
            request, _("Set up two-factor sign-in, and sign in with it, to make a token.")
        )
        return redirect("staff:account:index")
    if request.method == "POST" and form.is_valid():
        _token, new_key = create_api_token(
            request.user, name=form.cleaned_data["name"], by=request.user
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
    return render(
        request, "staff/tokens/list.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


def _needs_second_factor(request: HttpRequest) -> bool:
    return settings.TWO_FACTOR_REQUIRED and not request.user.is_verified()


@staff_member_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk, revoked_at__isnull=True)
    revoke_api_token(token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("staff:tokens:list")
