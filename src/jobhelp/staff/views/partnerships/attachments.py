"""An agreement's PDFs: uploading one (checked by content and size, stored under a random
name), downloading it through this permission-checked view, and removing it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.partnerships import queries, rules
from jobhelp.partnerships.agreements import add_attachment, remove_attachment
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import AttachmentForm
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.uploads import serve_file, takes_upload
from jobhelp.staff.views.partnerships.agreements import only_managers
from jobhelp.staff.views.partnerships.lookups import (
    agreement_or_404,
    attachment_or_404,
    in_the_area_or_403,
    refused,
)


@staff_member_required
@takes_upload
@require_http_methods(["GET", "POST"])
def attachment_new(request: HttpRequest, pk: int, *, upload_limit) -> HttpResponse:
    agreement = agreement_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", agreement.pk)
    if not rules.can_edit_agreement(request.user, agreement):
        return refused(request, only_managers(), *back)
    if agreement.status == AgreementStatus.SUPERSEDED:
        return refused(
            request, _("This agreement was renewed; attach the file to its renewal."), *back
        )
    posted = request.method == "POST"
    form = AttachmentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=upload_limit.too_large,
    )
    if posted and form.is_valid():
        try:
            attachment = add_attachment(
                agreement,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except PartnershipError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request, _("“%(name)s” is attached.") % {"name": attachment.display_name}
            )
            return redirect(*back)
    return render(
        request,
        "staff/partnerships/attachment_form.html",
        {"partnership": agreement.partnership, "agreement": agreement, "form": form},
    )


@staff_member_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    in_the_area_or_403(request.user)
    try:
        stored = queries.attachment_file_for_user(request.user, pk)
    except FileNotFoundError:
        raise Http404 from None
    if stored is None:
        raise Http404
    return serve_file(stored)


@staff_member_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_or_404(request.user, pk)
    back = ("staff:partnerships:agreement", attachment.agreement_id)
    try:
        remove_attachment(attachment, by=request.user)
    except PartnershipError as error:
        return refused(request, error, *back)
    messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.display_name})
    return redirect(*back)
