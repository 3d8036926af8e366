"""Human names for audit action codes, shown in a request's history."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "jobhelp.request.created": _("Request received"),
    "jobhelp.request.edited_in_admin": _("Edited in the admin"),
    "jobhelp.request.assigned": _("Assigned"),
    "jobhelp.request.reassigned": _("Reassigned"),
    "jobhelp.request.claimed": _("Claimed"),
    "jobhelp.request.contact_logged": _("Call or email logged"),
    "jobhelp.request.resolved": _("Resolved"),
    "jobhelp.request.closed": _("Closed"),
    "jobhelp.request.reopened": _("Reopened"),
    "jobhelp.request.duplicate_flagged": _("Flagged as a possible duplicate"),
    "jobhelp.request.erased": _("Personal details erased (retention period over)"),
    "jobhelp.demo.state_set": _("State set by the demo data"),
    "jobhelp.message.sent": _("Message sent"),
    "jobhelp.message.failed": _("Message could not be delivered"),
    "jobhelp.api_token.created": _("API token created"),
    "jobhelp.api_token.revoked": _("API token revoked"),
    "jobhelp.routing_rule.created": _("Routing rule added"),
    "jobhelp.routing_rule.updated": _("Routing rule changed"),
    "jobhelp.routing_rule.deleted": _("Routing rule deleted"),
    "jobhelp.routing_rule.moved": _("Routing rule moved"),
    "jobhelp.appointment.booked": _("Appointment booked"),
    "jobhelp.appointment.cancelled": _("Appointment cancelled"),
    "jobhelp.appointment.attended": _("Appointment attended"),
    "jobhelp.appointment.no_show": _("Patron did not come to the appointment"),
    "jobhelp.appointment.rescheduled": _("Appointment rescheduled"),
    "jobhelp.request.scheduled": _("Appointment scheduled"),
    "jobhelp.request.unscheduled": _("Back in progress (appointment cancelled)"),
}
