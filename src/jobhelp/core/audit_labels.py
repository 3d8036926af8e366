"""Human names for audit action codes, shown in a request's history."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "jobhelp.request.created": _("Request received"),
    "jobhelp.request.edited_in_admin": _("Edited in the admin"),
    "jobhelp.request.erased": _("Personal details erased (retention period over)"),
    "jobhelp.demo.state_set": _("State set by the demo data"),
    "jobhelp.message.sent": _("Message sent"),
    "jobhelp.message.failed": _("Message could not be delivered"),
    "jobhelp.api_token.created": _("API token created"),
    "jobhelp.api_token.revoked": _("API token revoked"),
}
