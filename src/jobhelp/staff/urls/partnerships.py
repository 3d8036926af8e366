from django.urls import path

from jobhelp.staff.views.partnerships import (
    agreements,
    attachments,
    grants,
    log,
    meetings,
    obligations,
    parties,
    partnership,
    report,
)

app_name = "partnerships"
urlpatterns = [
    path("partnerships/", partnership.partnership_list, name="index"),
    path("partnerships/<int:pk>/", partnership.partnership_detail, name="detail"),
    # Agreements, their parties, signatures, cost shares, amendments and attachments.
    path("partnerships/<int:pk>/agreements/", agreements.agreement_list, name="agreements"),
    path("partnerships/<int:pk>/agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("partnerships/agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path(
        "partnerships/agreements/<int:pk>/edit/",
        agreements.agreement_edit,
        name="agreement_edit",
    ),
    path(
        "partnerships/agreements/<int:pk>/status/",
        agreements.agreement_status,
        name="agreement_status",
    ),
    path("partnerships/agreements/<int:pk>/amend/", agreements.agreement_amend, name="amend"),
    path("partnerships/agreements/<int:pk>/parties/new/", parties.party_new, name="party_new"),
    path("partnerships/parties/<int:pk>/sign/", parties.party_sign, name="party_sign"),
    path("partnerships/parties/<int:pk>/remove/", parties.party_remove, name="party_remove"),
    path(
        "partnerships/parties/<int:pk>/cost-shares/new/",
        parties.cost_share_new,
        name="cost_share_new",
    ),
    path(
        "partnerships/cost-shares/<int:pk>/remove/",
        parties.cost_share_remove,
        name="cost_share_remove",
    ),
    path(
        "partnerships/agreements/<int:pk>/attachments/new/",
        attachments.attachment_new,
        name="attachment_new",
    ),
    path(
        "partnerships/attachments/<int:pk>/",
        attachments.attachment_download,
        name="attachment",
    ),
    path(
        "partnerships/attachments/<int:pk>/remove/",
        attachments.attachment_remove,
        name="attachment_remove",
    ),
    # Obligations and their occurrences.
    path(
        "partnerships/agreements/<int:pk>/obligations/",
        obligations.obligation_list,
        name="obligations",
    ),
    path(
        "partnerships/agreements/<int:pk>/obligations/new/",
        obligations.obligation_new,
        name="obligation_new",
    ),
    path("partnerships/obligations/<int:pk>/", obligations.obligation_detail, name="obligation"),
    path(
        "partnerships/obligations/<int:pk>/edit/",
        obligations.obligation_edit,
        name="obligation_edit",
    ),
    path(
        "partnerships/occurrences/<int:pk>/done/",
        obligations.occurrence_done,
        name="occurrence_done",
    ),
    path(
        "partnerships/occurrences/<int:pk>/reopen/",
        obligations.occurrence_reopen,
        name="occurrence_reopen",
    ),
    path(
        "partnerships/occurrences/<int:pk>/evidence/",
        obligations.evidence_download,
        name="evidence",
    ),
    # Meetings, attendees and action items.
    path("partnerships/<int:pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("partnerships/<int:pk>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("partnerships/meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("partnerships/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("partnerships/meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("partnerships/meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="minutes"),
    path(
        "partnerships/meetings/<int:pk>/meeting.ics",
        meetings.meeting_calendar,
        name="meeting_ics",
    ),
    path(
        "partnerships/meetings/<int:pk>/attendees/new/",
        meetings.attendee_new,
        name="attendee_new",
    ),
    path(
        "partnerships/meetings/<int:pk>/attendees/<int:attendee_pk>/remove/",
        meetings.attendee_remove,
        name="attendee_remove",
    ),
    path(
        "partnerships/meetings/<int:pk>/action-items/new/",
        meetings.action_item_new,
        name="action_item_new",
    ),
    path(
        "partnerships/action-items/<int:pk>/status/",
        meetings.action_item_status,
        name="action_item_status",
    ),
    # Grants.
    path("partnerships/<int:pk>/grants/", grants.grant_list, name="grants"),
    path("partnerships/<int:pk>/grants/new/", grants.grant_new, name="grant_new"),
    path("partnerships/grants/<int:pk>/", grants.grant_detail, name="grant"),
    path("partnerships/grants/<int:pk>/edit/", grants.grant_edit, name="grant_edit"),
    path("partnerships/grants/<int:pk>/status/", grants.grant_status, name="grant_status"),
    # The liaison's log and the quarterly report.
    path("partnerships/<int:pk>/log/", log.log_list, name="log"),
    path("partnerships/<int:pk>/log/new/", log.log_new, name="log_new"),
    path("partnerships/log/<int:pk>/edit/", log.log_edit, name="log_edit"),
    path("partnerships/log/<int:pk>/delete/", log.log_delete, name="log_delete"),
    path("partnerships/<int:pk>/report/", report.report_page, name="report"),
    path("partnerships/<int:pk>/report.csv", report.report_csv_file, name="report_csv"),
]
