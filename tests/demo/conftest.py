import pytest


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # The demo writes its materials' PDFs to storage; tests keep them out of var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")
