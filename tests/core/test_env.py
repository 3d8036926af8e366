import pytest
from django.core.exceptions import ImproperlyConfigured

from jobhelp.core.env import env_bool, env_choice, env_file_storage, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("false", False), ("0", False), ("", False)],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


@pytest.mark.parametrize(("parser", "raw"), [(env_bool, "ture"), (env_int, "ten"), (env_int, "-1")])
def test_bad_values_stop_the_process_with_the_variable_named(monkeypatch, parser, raw):
    monkeypatch.setenv("SETTING", raw)
    kwargs = {"minimum": 0} if parser is env_int else {}
    with pytest.raises(ImproperlyConfigured, match="SETTING"):
        parser("SETTING", 1, **kwargs)


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, ,b.example.org ")
    monkeypatch.setenv("MAIL_BACKEND", "carrier-pigeon")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]
    with pytest.raises(ImproperlyConfigured, match="MAIL_BACKEND"):
        env_choice("MAIL_BACKEND", "smtp", {"smtp", "console"})


def test_file_storage_is_the_local_disk_unless_a_url_is_given(monkeypatch):
    monkeypatch.delenv("FILE_STORAGE_URL", raising=False)
    assert env_file_storage("FILE_STORAGE_URL") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    monkeypatch.setenv("FILE_STORAGE_URL", "")
    assert env_file_storage("FILE_STORAGE_URL")["BACKEND"].endswith("FileSystemStorage")


def test_file_storage_url_makes_private_object_storage(monkeypatch):
    monkeypatch.setenv(
        "FILE_STORAGE_URL",
        "s3://jobhelp-files/county/?endpoint=https://minio.example.org:9000"
        "&region=us-east-2&addressing=path",
    )
    assert env_file_storage("FILE_STORAGE_URL") == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "jobhelp-files",
            "location": "county",
            # No ACL sent: private to the bucket owner by default, and accepted by buckets with
            # ACLs disabled (AWS's default), which refuse a PutObject naming "private".
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "custom_domain": None,
            "endpoint_url": "https://minio.example.org:9000",
            "region_name": "us-east-2",
            "addressing_style": "path",
        },
    }


@pytest.mark.parametrize(
    "raw",
    [
        "https://bucket.example.org/",
        "s3://",
        "s3://key:secret@bucket/",
        "s3://bucket/?acl=public-read",
        "s3://bucket/?region=",
        "s3://bucket/?addressing=sideways",
    ],
)
def test_a_bad_file_storage_url_stops_the_process(monkeypatch, raw):
    monkeypatch.setenv("FILE_STORAGE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE_URL"):
        env_file_storage("FILE_STORAGE_URL")


@pytest.mark.parametrize(
    "raw",
    [
        "s3://AKIAEXAMPLEKEY:wJalrXUtnFEMIsecret@bucket/",
        "s3://AKIAEXAMPLEKEY@bucket/",
        "s3://bucket/?endpoint=https://AKIAEXAMPLEKEY:wJalrXUtnFEMIsecret@minio.example.org",
    ],
)
def test_a_file_storage_url_with_keys_is_refused_without_repeating_them(monkeypatch, raw):
    monkeypatch.setenv("FILE_STORAGE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="without keys") as refused:
        env_file_storage("FILE_STORAGE_URL")
    assert "AKIAEXAMPLEKEY" not in str(refused.value)
    assert "wJalrXUtnFEMIsecret" not in str(refused.value)


@pytest.mark.parametrize(
    "raw",
    [
        "s3://bucket:9000/",
        "s3://bucket/?endpoint=minio.example.org",
        "s3://bucket/?endpoint=ftp://x",
    ],
)
def test_a_file_storage_url_with_a_port_or_no_endpoint_address_is_refused(monkeypatch, raw):
    monkeypatch.setenv("FILE_STORAGE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE_URL"):
        env_file_storage("FILE_STORAGE_URL")
