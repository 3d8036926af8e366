from django.urls import path

from jobhelp.public.views.referrals import confirm, consent, withdraw

app_name = "referrals"
urlpatterns = [
    path("referrals/consent/<str:token>/", consent, name="consent"),
    path("referrals/consent/<str:token>/confirm/", confirm, name="confirm"),
    path("referrals/consent/<str:token>/withdraw/", withdraw, name="withdraw"),
]
