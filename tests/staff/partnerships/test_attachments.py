"""An agreement's PDFs on the staff pages: uploaded by a manager of a party (checked by
content and size, stored under a random name), downloaded only through the permission-checked
view as an attachment that is never sniffed or cached, and refused with a clear message when
the file is not a PDF, too large, or damaged, with nothing written."""

import re

import pytest

from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.models import Agreement, Attachment
from tests.staff.partnerships.checks import shown, snapshot
from tests.workshops.files import tiny_pdf, upload


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def attach(client, agreement, name="signed.pdf", content=None, title="The signed copy"):
    return client.post(
        f"/staff/partnerships/agreements/{agreement.pk}/attachments/new/",
        {"title": title, "file": upload(name, tiny_pdf() if content is None else content)},
    )


def test_a_manager_attaches_a_pdf_under_a_random_name(client, log_in, agreement, media):
    manager = log_in("manager")

    response = attach(client, agreement)

    attachment = Attachment.objects.get(agreement=agreement)
    assert response.url == f"/staff/partnerships/agreements/{agreement.pk}/"
    assert shown(response) == ["“signed.pdf” is attached."]
    assert (attachment.title, attachment.display_name, attachment.uploaded_by) == (
        "The signed copy",
        "signed.pdf",
        manager,
    )
    assert re.fullmatch(r"agreements/\d{4}/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert [p.name for p in stored_files(media)] == [attachment.file.name.rsplit("/", 1)[1]]


def test_a_path_in_the_name_never_reaches_storage(client, log_in, agreement, media):
    """The browser's name is only a label: Django keeps its last part, and the file is stored
    under a random name whatever it was."""
    log_in("manager")
    attach(client, agreement, name="../../etc/passwd.pdf")
    attachment = Attachment.objects.get(agreement=agreement)
    assert attachment.display_name == "passwd.pdf"
    assert stored_files(media)[0].is_relative_to(media / "agreements")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "minutes.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "The file must be a PDF. This file is something else, whatever its name says.",
        ),
        (
            "cut.pdf",
            tiny_pdf()[:-40],
            "This PDF looks damaged or incomplete. Save it again as a PDF and try again.",
        ),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_a_good_pdf_is_refused_and_nothing_written(
    client, log_in, agreement, media, name, content, message
):
    log_in("manager")
    before = snapshot()

    response = attach(client, agreement, name=name, content=content)

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert snapshot() == before
    assert stored_files(media) == []
    # What was typed stays.
    assert 'value="The signed copy"' in response.content.decode()


def test_an_oversized_file_is_dropped_as_it_arrives_and_the_form_says_so(
    client, log_in, agreement, media, settings
):
    settings.PARTNERSHIP_UPLOAD_MAX_BYTES = 1024 * 1024
    log_in("manager")
    before = snapshot()
    big = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + b"x" * (2 * 1024 * 1024) + b"\n")

    response = attach(client, agreement, content=big)

    assert response.context["form"].errors == {
        "file": ["The file is larger than 1 MB. Save it smaller and try again."]
    }
    assert snapshot() == before
    assert stored_files(media) == []


@pytest.mark.parametrize("persona", ["front_desk", "liaison", "partner_staff"])
def test_staff_who_do_not_manage_a_party_cannot_attach(client, log_in, agreement, media, persona):
    log_in(persona)
    before = snapshot()
    response = attach(client, agreement)
    assert shown(response) == ["Only managers of a party can change this agreement."]
    assert snapshot() == before
    assert stored_files(media) == []


def test_the_download_is_an_attachment_never_sniffed_nor_cached(client, log_in, agreement):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()
    log_in("affiliate_staff")

    response = client.get(f"/staff/partnerships/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="signed.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == tiny_pdf()


def test_another_partnerships_staff_and_people_in_none_cannot_download(
    client, log_in, agreement, elsewhere, branch_staff
):
    log_in("manager")
    attach(client, agreement)
    path = f"/staff/partnerships/attachments/{Attachment.objects.get().pk}/"
    answers = {}
    for persona in ("outsider", "branch_staff", "no_membership"):
        log_in(persona)
        answers[persona] = client.get(path).status_code
    assert answers == {"outsider": 404, "branch_staff": 403, "no_membership": 403}


def test_a_stored_file_that_is_no_longer_a_pdf_is_not_served(client, log_in, agreement):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()
    with open(attachment.file.path, "wb") as stored:
        stored.write(b"<html>swapped</html>")
    assert client.get(f"/staff/partnerships/attachments/{attachment.pk}/").status_code == 404


def test_attachments_of_a_draft_are_removed_and_an_executed_agreements_kept(
    client, log_in, agreement, media
):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()

    kept = client.post(f"/staff/partnerships/attachments/{attachment.pk}/remove/")
    assert shown(kept) == [
        "“signed.pdf” is attached.",
        "The documents of an executed agreement are kept.",
    ]
    assert Attachment.objects.filter(pk=attachment.pk).exists()

    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.IN_NEGOTIATION)
    client.post(f"/staff/partnerships/attachments/{attachment.pk}/remove/")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
