from django.urls import path

from jobhelp.staff.views import tokens

app_name = "tokens"
urlpatterns = [
    path("tokens/", tokens.api_tokens, name="list"),
    path("tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="revoke"),
]
