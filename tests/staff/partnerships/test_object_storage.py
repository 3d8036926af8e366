"""An agreement's PDFs in S3-compatible object storage (FILE_STORAGE_URL; moto, in the
process): stored in the bucket, privately, nothing on the local disk; the permission-checked
download (which reads the stored bytes again to check they are a PDF) streams the same bytes;
another partnership's staff get a 404; removing the attachment deletes the object."""

import pytest

from jobhelp.partnerships.enums import AgreementStatus
from jobhelp.partnerships.models import Agreement, Attachment
from tests import object_storage
from tests.workshops.files import tiny_pdf, upload

pytestmark = pytest.mark.django_db

bucket = object_storage.bucket


def attach(client, agreement, name="signed.pdf"):
    return client.post(
        f"/staff/partnerships/agreements/{agreement.pk}/attachments/new/",
        {"title": "Signed", "file": upload(name, tiny_pdf())},
    )


def test_an_attachment_is_stored_in_the_bucket_and_downloaded_through_the_view(
    client, log_in, agreement, bucket
):
    log_in("manager")
    assert attach(client, agreement).status_code == 302
    attachment = Attachment.objects.get()
    key = bucket.key_of(attachment.file)
    assert bucket.keys() == [key]
    assert bucket.read(key) == tiny_pdf()
    assert [g["Permission"] for g in bucket.acl_grants(key)] == ["FULL_CONTROL"]
    assert bucket.local_files() == []

    log_in("affiliate_staff")
    response = client.get(f"/staff/partnerships/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == tiny_pdf()


def test_another_partnerships_staff_get_404(client, log_in, agreement, elsewhere, bucket):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()

    log_in("outsider")

    assert client.get(f"/staff/partnerships/attachments/{attachment.pk}/").status_code == 404
    assert client.post(f"/staff/partnerships/attachments/{attachment.pk}/remove/").status_code in {
        403,
        404,
    }
    assert len(bucket.keys()) == 1


def test_an_object_no_longer_a_pdf_is_not_served(client, log_in, agreement, bucket):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()
    bucket.client.put_object(
        Bucket=bucket.name, Key=bucket.key_of(attachment.file), Body=b"<html>swapped</html>"
    )

    assert client.get(f"/staff/partnerships/attachments/{attachment.pk}/").status_code == 404


def test_a_missing_object_is_a_404_not_a_500(client, log_in, agreement, bucket):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()
    bucket.client.delete_object(Bucket=bucket.name, Key=bucket.key_of(attachment.file))

    assert client.get(f"/staff/partnerships/attachments/{attachment.pk}/").status_code == 404


def test_removing_an_attachment_deletes_the_object(
    client, log_in, agreement, bucket, django_capture_on_commit_callbacks
):
    log_in("manager")
    attach(client, agreement)
    attachment = Attachment.objects.get()
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.IN_NEGOTIATION)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/partnerships/attachments/{attachment.pk}/remove/")

    assert not Attachment.objects.exists()
    assert bucket.keys() == []
