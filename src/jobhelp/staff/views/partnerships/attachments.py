"""An agreement's PDFs: uploading one (checked by content and size, stored under a random
name), downloading it through this permission-checked view, and removing it
(staff.common.attachments)."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobhelp.partnerships import queries, rules
from jobhelp.partnerships.agreements import add_attachment, remove_attachment
from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import AttachmentForm
from jobhelp.staff.common import attachments
from jobhelp.staff.common.decorators import staff_member_required
from jobhelp.staff.common.uploads import takes_upload
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
    return attachments.upload_page(
        request,
        form_class=AttachmentForm,
        upload_limit=upload_limit,
        add=partial(add_attachment, agreement, by=request.user),
        refused=PartnershipError,
        back=back,
        template="staff/partnerships/attachment_form.html",
        context={"partnership": agreement.partnership, "agreement": agreement},
    )


@staff_member_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    in_the_area_or_403(request.user)
    return attachments.download(partial(queries.attachment_file_for_user, request.user, pk))


@staff_member_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_or_404(request.user, pk)
    return attachments.remove(
        request,
        attachment,
        remove=partial(remove_attachment, attachment, by=request.user),
        refused=PartnershipError,
        back=("staff:partnerships:agreement", attachment.agreement_id),
    )
