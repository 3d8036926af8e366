from django.urls import path

from jobhelp.staff.views import account

app_name = "account"
urlpatterns = [
    path("account/", account.account, name="index"),
    path("account/verify/", account.verify, name="verify"),
    path("account/two-factor/", account.enrol, name="enrol"),
    path("account/recovery-codes/", account.recovery_codes, name="recovery_codes"),
    path("account/sign-out-everywhere/", account.sign_out_all, name="sign_out_everywhere"),
]
