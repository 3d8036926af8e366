"""What the browser tests share: axe-core, the phone viewport, CSP console messages."""

from pathlib import Path

from playwright.sync_api import ConsoleMessage, Locator, Page, expect

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE_VIEWPORT = {"width": 390, "height": 844}
PASSWORD = "a-long-test-password"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices: every rule axe runs by
# default, and the WCAG 2.2 AA ones it leaves off unless asked (target-size: 24 by 24 pixels).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core on the page as it is now, with the WCAG 2.2 AA rules as well as 2.1's
    (AXE_TAGS), and fail with a readable list of violations.

    axe is loaded into every page by an init script (see conftest), which the
    Content-Security-Policy does not apply to, so the tests run with the real policy.
    """
    assert page.evaluate("typeof window.axe") == "object", "axe-core was not loaded"
    violations = page.evaluate(
        "async (tags) => (await window.axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        AXE_TAGS,
    )
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )
    assert violations == [], f"axe found violations on {page.url}:\n{report}"


def collect_csp_messages(page: Page) -> list[str]:
    """Start recording the console messages in which Chromium reports a CSP violation."""
    messages: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            messages.append(message.text)

    page.on("console", on_console)
    return messages


def log_in(page: Page, base_url: str, user) -> None:
    page.goto(f"{base_url}/staff/login/")
    assert_no_axe_violations(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/staff/")


def tick(field: Locator) -> None:
    """Tick a USWDS radio button or checkbox the way a person does: by clicking its label.
    USWDS moves the real input off screen and draws it on the label."""
    field.page.locator(f"label[for='{field.get_attribute('id')}']").click()
    expect(field).to_be_checked()


def expect_reference_shown(page: Page, display_reference: str) -> None:
    """Seen as printed; heard one character at a time, so it can be written down."""
    expect(page.locator(".jh-reference [aria-hidden=true]")).to_have_text(display_reference)
    expect(page.locator(".jh-reference .usa-sr-only")).to_have_text(
        "Reference code " + " ".join(display_reference)
    )
