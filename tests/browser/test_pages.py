"""Pages without a flow of their own are accessible too."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/", 200, "Free help finding a job"),
        ("/privacy/", 200, "Privacy notice"),
        ("/no-such-page/", 404, "Page not found"),
    ],
)
def test_page_is_accessible(page: Page, live_server, library, path, status, heading):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


def test_axe_check_fails_on_a_page_with_a_violation(page: Page, live_server, library):
    """The check above can fail: a button without a name is reported."""
    page.goto(f"{live_server.url}/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<button></button>')"
    )
    with pytest.raises(AssertionError, match=r"- button-name \(critical\)"):
        assert_no_axe_violations(page)
