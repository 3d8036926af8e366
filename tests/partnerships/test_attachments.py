"""Agreement attachments and evidence files: checked by content and size, stored under random
names, served only to people who see the agreement; refused uploads leave nothing behind."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import SkipFile

from jobhelp.core import files
from jobhelp.core.models import AuditEntry
from jobhelp.partnerships import agreements, queries
from jobhelp.partnerships.enums import AgreementStatus, PartyRole
from jobhelp.partnerships.errors import PartnershipError
from jobhelp.partnerships.forms import AttachmentForm
from jobhelp.partnerships.models import Agreement, Attachment
from tests.workshops.files import tiny_jpeg, tiny_pdf, tiny_png, upload

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# Starts as HTML, with a whole PDF further in: a browser sniffing it sees a page.
POLYGLOT = HTML + b"\n" + tiny_pdf()
# Starts as a PDF but carries markup in the part browsers sniff.
PDF_WITH_MARKUP = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n<html><script>x()</script>\n", 1)
CUT_OFF = tiny_pdf()[:-20]
FAKE_XREF = tiny_pdf().replace(b"startxref\n", b"startxref\n99999", 1)


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def attach(agreement, by, content, name="signed-mou.pdf", **kwargs):
    return agreements.add_attachment(
        agreement, by=by, upload=upload(name, content), title="Signed copy", **kwargs
    )


# --- What is accepted -----------------------------------------------------------------------------


def test_a_pdf_is_stored_under_a_random_name_with_its_name_kept_as_a_label(
    agreement, center_manager, media
):
    attachment = attach(agreement, center_manager, tiny_pdf(), name="MOU 2026 (signed).pdf")

    (path,) = stored_files(media)
    assert path.parent.parent.name == "agreements"
    assert path.name != "MOU 2026 (signed).pdf" and path.suffix == ".pdf"
    assert len(path.stem) == 32
    assert path.read_bytes() == tiny_pdf()
    assert (attachment.display_name, attachment.size) == ("MOU 2026 (signed).pdf", len(tiny_pdf()))
    entry = AuditEntry.objects.get(action="jobhelp.agreement.attachment_added")
    assert entry.data == {"attachment": attachment.pk, "kind": "pdf", "bytes": len(tiny_pdf())}


def test_a_path_sent_by_the_browser_is_dropped_before_we_see_it(agreement, center_manager, media):
    # Django's upload keeps only the last part of a name; the file is stored under ours.
    attachment = attach(agreement, center_manager, tiny_pdf(), name="../../etc/mou.pdf")

    assert attachment.display_name == "mou.pdf"
    assert [p.parent.parent.name for p in stored_files(media)] == ["agreements"]


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "C:\\Users\\me\\mou.pdf", "reports/mou.pdf", "..", "mou\x07.pdf"],
)
def test_a_name_with_a_path_or_hidden_characters_is_refused_and_nothing_written(
    agreement, center_manager, media, name
):
    # As an API client may send it beside the file.
    with pytest.raises(PartnershipError) as refused:
        agreements.add_attachment(
            agreement, by=center_manager, upload=upload("mou.pdf", tiny_pdf()), name=name
        )

    assert "Rename the file and try again." in str(refused.value)
    assert (stored_files(media), Attachment.objects.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.agreement.attach").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML, "The file must be a PDF. This file is something else, whatever its name says."),
        (POLYGLOT, "The file must be a PDF. This file is something else, whatever its name says."),
        (
            PDF_WITH_MARKUP,
            "The file must be a PDF. This file is something else, whatever its name says.",
        ),
        (
            tiny_png(),
            "The file must be a PDF. This file is something else, whatever its name says.",
        ),
        (CUT_OFF, "This PDF looks damaged or incomplete. Save it again as a PDF and try again."),
        (FAKE_XREF, "This PDF looks damaged or incomplete. Save it again as a PDF and try again."),
        (b"", "The file is empty."),
    ],
)
def test_what_is_not_a_whole_pdf_is_refused_and_nothing_written(
    agreement, center_manager, media, content, message
):
    with pytest.raises(PartnershipError) as refused:
        attach(agreement, center_manager, content)

    assert str(refused.value) == message
    assert (stored_files(media), Attachment.objects.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action__startswith="jobhelp.agreement.attach").exists()


def test_an_oversized_pdf_is_refused_before_it_is_read(agreement, center_manager, media, settings):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    big = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (1024 * 1024) + b"\n", 1)

    with pytest.raises(PartnershipError) as refused:
        attach(agreement, center_manager, big)

    assert str(refused.value) == "The file is larger than 1 MB. Save it smaller and try again."
    assert (stored_files(media), Attachment.objects.count()) == ([], 0)


def test_only_managers_of_a_party_attach_files(agreement, liaison, outsider, media):
    for person in (liaison, outsider):
        with pytest.raises(PartnershipError, match="Only managers of a party"):
            attach(agreement, person, tiny_pdf())
    assert stored_files(media) == []


def test_a_removed_attachments_file_goes_after_commit(
    partnership, center, center_manager, media, django_capture_on_commit_callbacks
):
    draft = agreements.create_agreement(
        partnership,
        by=center_manager,
        title="Draft",
        organization=center,
        role=PartyRole.LOCAL_BOARD,
    )
    attachment = attach(draft, center_manager, tiny_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        agreements.remove_attachment(attachment, by=center_manager)
    assert (stored_files(media), Attachment.objects.count()) == ([], 0)


def test_an_executed_agreements_documents_are_kept(agreement, center_manager):
    attachment = attach(agreement, center_manager, tiny_pdf())
    with pytest.raises(PartnershipError, match="are kept"):
        agreements.remove_attachment(attachment, by=center_manager)


def test_an_agreement_executed_since_the_page_was_loaded_keeps_its_documents(
    partnership, center, center_manager, media, django_capture_on_commit_callbacks
):
    draft = agreements.create_agreement(
        partnership,
        by=center_manager,
        title="Draft",
        organization=center,
        role=PartyRole.LOCAL_BOARD,
    )
    attachment = attach(draft, center_manager, tiny_pdf())
    loaded = Attachment.objects.select_related("agreement__partnership__convener").get(
        pk=attachment.pk
    )
    # Another person's signature executes the agreement in between (committed).
    Agreement.objects.filter(pk=draft.pk).update(status=AgreementStatus.EXECUTED)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PartnershipError, match="are kept"),
    ):
        agreements.remove_attachment(loaded, by=center_manager)

    assert (len(stored_files(media)), Attachment.objects.count()) == (1, 1)
    assert not AuditEntry.objects.filter(action="jobhelp.agreement.attachment_removed").exists()


def test_an_agreement_renewed_since_the_page_was_loaded_takes_no_new_file(
    agreement, center_manager, media
):
    loaded = Agreement.objects.select_related("partnership__convener").get(pk=agreement.pk)
    # Its renewal is recorded in between (committed).
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SUPERSEDED)

    with pytest.raises(PartnershipError, match="attach the file to its renewal"):
        attach(loaded, center_manager, tiny_pdf())

    assert (stored_files(media), Attachment.objects.count()) == ([], 0)
    assert not AuditEntry.objects.filter(action="jobhelp.agreement.attachment_added").exists()


# --- Serving --------------------------------------------------------------------------------------


def test_the_file_is_given_to_staff_of_a_party_and_to_nobody_else(
    agreement, center_manager, affiliate_staff, front_desk, branch_staff, outsider, elsewhere
):
    attachment = attach(agreement, center_manager, tiny_pdf(), name="mou.pdf")

    for person in (center_manager, affiliate_staff, front_desk):
        found = queries.attachment_file_for_user(person, attachment.pk)
        assert (found.name, found.content_type, found.size) == (
            "mou.pdf",
            "application/pdf",
            len(tiny_pdf()),
        )
        with found.open() as stored:
            assert stored.read() == tiny_pdf()
    for person in (branch_staff, outsider, elsewhere.manager):
        assert queries.attachment_file_for_user(person, attachment.pk) is None


def test_a_stored_file_that_is_not_a_pdf_is_never_served(agreement, center_manager):
    attachment = attach(agreement, center_manager, tiny_pdf())
    with attachment.file.open("wb") as stored:
        stored.write(HTML)
    assert queries.attachment_file_for_user(center_manager, attachment.pk) is None


# --- The checks themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [(tiny_pdf(), files.PDF), (tiny_png(), files.PNG), (tiny_jpeg(), files.JPEG)],
)
def test_evidence_may_be_a_pdf_png_or_jpeg(content, kind):
    assert files.validate_evidence(upload("scan.bin", content, "application/octet-stream")) == kind


@pytest.mark.parametrize("content", [HTML, POLYGLOT, b"GIF89a\x01\x00\x01\x00", CUT_OFF])
def test_other_evidence_files_are_refused(content):
    with pytest.raises(ValidationError):
        files.validate_evidence(upload("scan.pdf", content))


def test_display_names_are_cleaned_and_shortened_keeping_the_extension():
    assert files.display_name("  Resume\u0301   2026.pdf ") == "Resum\u00e9 2026.pdf"
    long = files.display_name("x" * 300 + ".pdf")
    assert (len(long), long.endswith(".pdf")) == (files.NAME_LENGTH, True)


def test_the_size_limit_handler_drops_a_large_file_while_it_arrives(settings):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    limit = files.UploadSizeLimit()
    limit.new_file("file", "mou.pdf", "application/pdf", None)
    assert limit.receive_data_chunk(b"x" * 1024, 0) == b"x" * 1024
    with pytest.raises(SkipFile):
        limit.receive_data_chunk(b"x" * 1024, 1024 * 1024)
    assert limit.too_large == {"file"}


# --- The form -------------------------------------------------------------------------------------


def test_the_form_says_what_is_wrong_with_a_file():
    form = AttachmentForm(data={"title": "MOU"}, files={"file": upload("mou.pdf", HTML)})
    assert form.errors == {
        "file": ["The file must be a PDF. This file is something else, whatever its name says."]
    }


def test_the_form_says_a_file_was_too_large_when_the_handler_dropped_it(settings):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    form = AttachmentForm(data={"title": "MOU"}, files={}, too_large={"file"})
    assert form.errors == {"file": ["The file is larger than 1 MB. Save it smaller and try again."]}


def test_the_form_accepts_a_pdf_and_keeps_its_label():
    form = AttachmentForm(data={"title": "MOU"}, files={"file": upload("mou.pdf", tiny_pdf())})
    assert (form.is_valid(), form.display_name) == (True, "mou.pdf")
