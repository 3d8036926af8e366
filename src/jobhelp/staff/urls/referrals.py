from django.urls import path

from jobhelp.staff.views.referrals import consent, detail, lists, receiving, send, slip

app_name = "referrals"
urlpatterns = [
    path("referrals/", lists.received, name="list"),
    path("referrals/received.csv", lists.received_csv, name="csv"),
    path("referrals/sent/", lists.sent, name="sent"),
    path("referrals/new/", send.new_walk_in, name="new"),
    path("referrals/settings/", receiving.receiving_settings, name="settings"),
    path("requests/<str:reference>/refer/", send.refer_request, name="refer"),
    path("referrals/<str:code>/", detail.detail, name="detail"),
    path("referrals/<str:code>/accept/", detail.accept, name="accept"),
    path("referrals/<str:code>/decline/", detail.decline, name="decline"),
    path("referrals/<str:code>/start/", detail.start, name="start"),
    path("referrals/<str:code>/hold/", detail.hold, name="hold"),
    path("referrals/<str:code>/complete/", detail.complete, name="complete"),
    path("referrals/<str:code>/cancel/", detail.cancel, name="cancel"),
    path("referrals/<str:code>/open-request/", detail.open_request, name="open_request"),
    path("referrals/<str:code>/slip/", slip.slip, name="slip"),
    path("referrals/<str:code>/slip/send/", slip.slip_send, name="slip_send"),
    path("referrals/<str:code>/consent/", consent.consent_new, name="consent"),
    path(
        "referrals/<str:code>/consent/<int:pk>/withdraw/",
        consent.consent_withdraw,
        name="consent_withdraw",
    ),
]
