"""`make demo PORT=8300` serves on another port, and the links in the messages the demo sends
follow it: scripts/serve-demo.sh sets JOBHELP_PUBLIC_BASE_URL from PORT (unless it is set),
settings read it, and the messages build their links from it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "serve-demo.sh"


def check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "JOBHELP_PUBLIC_BASE_URL"}}
    return subprocess.run(  # noqa: S603 - fixed arguments, our own script
        [str(SCRIPT), "--check"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_demo_serves_on_8000_by_default():
    done = check()

    assert (done.returncode, done.stdout) == (0, "port=8000\nlinks=http://127.0.0.1:8000\n")


def test_another_port_moves_the_links_too():
    done = check(PORT="8300")

    assert (done.returncode, done.stdout) == (0, "port=8300\nlinks=http://127.0.0.1:8300\n")


def test_an_address_set_for_links_is_kept():
    done = check(PORT="8300", JOBHELP_PUBLIC_BASE_URL="https://demo.example.org")

    assert (done.returncode, done.stdout) == (0, "port=8300\nlinks=https://demo.example.org\n")


@pytest.mark.parametrize("port", ["abc", "80", "70000", "8300; rm -rf /", ""])
def test_a_bad_port_is_refused_before_anything_starts(port):
    done = check(PORT=port) if port else check(PORT=" ")

    assert done.returncode == 2
    assert done.stdout == ""
    assert "PORT must be a number from 1024 to 65535" in done.stderr


def test_the_settings_take_the_address_for_links_from_the_environment():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PUBLIC_BASE_URL)",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "jobhelp.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "JOBHELP_PUBLIC_BASE_URL": "http://127.0.0.1:8300",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert done.stdout.strip() == "http://127.0.0.1:8300"


def test_a_message_link_follows_the_address(settings):
    from jobhelp.scheduling.messages import link_url

    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8300"

    assert link_url("abc") == "http://127.0.0.1:8300/appointments/abc/"
