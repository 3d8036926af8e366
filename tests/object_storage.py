"""S3-compatible object storage for a test, in the process (moto's mock_aws: no network): the
`bucket` fixture makes a private bucket and points the `default` storage at it exactly as
FILE_STORAGE_URL would (core.env.env_file_storage), with MEDIA_ROOT an empty folder that must
stay empty. Import the fixture into a test module or conftest."""

from dataclasses import dataclass
from pathlib import Path

import pytest

BUCKET = "jobhelp-files"
PREFIX = "uploads"


@dataclass
class Bucket:
    client: object
    name: str
    prefix: str
    media_root: Path

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def key_of(self, field_file) -> str:
        return f"{self.prefix}/{field_file.name}"

    def acl_grants(self, key: str) -> list[dict]:
        return self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]

    def local_files(self) -> list[Path]:
        root = self.media_root
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    boto3 = pytest.importorskip("boto3")
    moto = pytest.importorskip("moto")
    from jobhelp.core.env import env_file_storage

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FILE_STORAGE_URL": f"s3://{BUCKET}/{PREFIX}?region=us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        client.put_public_access_block(
            Bucket=BUCKET,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        settings.MEDIA_ROOT = str(tmp_path / "media")
        settings.STORAGES = {**settings.STORAGES, "default": env_file_storage("FILE_STORAGE_URL")}
        yield Bucket(client, BUCKET, PREFIX, tmp_path / "media")
