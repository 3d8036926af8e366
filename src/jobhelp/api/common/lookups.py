from django.http import Http404

from jobhelp.intake.models import HelpRequest
from jobhelp.intake.queries import find_request_for_user


def request_or_404(user, reference: str) -> HelpRequest:
    """Another organization's request is a 404, the same as one that does not exist."""
    help_request = find_request_for_user(user, reference)
    if help_request is None:
        raise Http404
    return help_request
