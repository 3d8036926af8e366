"""Playwright against Debian Chromium, with axe-core run on every page a test visits.

`make test-browser` runs these; the normal suite skips them (pyproject's addopts has
`-m 'not browser'`, and every test in this folder gets the `browser` mark below).
"""

from pathlib import Path

import pytest

from tests.browser.helpers import AXE_JS


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Runs before `-m` selects, so the mark decides whether these tests run.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # No bypass_csp: every test runs under the site's real Content-Security-Policy.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def context(context):
    # An init script is not subject to the page's CSP, unlike add_script_tag's inline script.
    context.add_init_script(path=str(AXE_JS))
    return context
