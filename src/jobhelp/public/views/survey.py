"""The patron's survey after a help session, behind a one-time link (casework.domain).

Opening the link changes nothing (mail scanners open links); answering is a POST. The link
works once: a second answer, an expired or an unknown link gets a page that says so, and
nothing is stored twice; too many unknown links from one address are a 429
(core.links.guarded_lookup). Nothing on these pages asks who the patron is.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jobhelp.casework.domain import open_survey, submit_feedback
from jobhelp.core.i18n import activate_patron_language
from jobhelp.core.links import LinkProblem, guarded_lookup, secret_page
from jobhelp.public.forms.survey import SurveyForm


def _unavailable(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    # A link that was answered or has expired still knows whose it was: say it in their
    # language. An unknown one says nothing.
    invitation = getattr(problem, "link", None)
    if invitation is not None:
        activate_patron_language(request, invitation.session.request.language)
    return render(
        request, "public/survey/unavailable.html", {"problem": problem}, status=problem.status
    )


@secret_page
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = guarded_lookup(request, lambda: open_survey(token))
    except LinkProblem as problem:
        return _unavailable(request, problem)
    # In the language the patron chose on their request.
    activate_patron_language(request, invitation.session.request.language)
    organization = invitation.session.organization
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_feedback(token, answers=form.answers())
        except LinkProblem as problem:
            return _unavailable(request, problem)
        return render(request, "public/survey/thanks.html", {"organization": organization})
    return render(request, "public/survey/form.html", {"form": form, "organization": organization})
