"""The steps every attach page shares in a browser (staff.common.attachments): a web page
renamed .pdf is refused with the reason and nothing written, then a good file takes the person
back to the record, saying it is attached; axe-core on each page."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations

WEB_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def attach_through_the_form(
    page: Page, words: dict, *, title: str, good: Path, model, back_url: str, tmp_path: Path
) -> None:
    """On the attach page: `words` holds the page's labels ("what", "file", "button") and
    messages ("wrong", "attached") in the person's language; `model` is the table that must
    stay empty after the refusal."""
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(WEB_PAGE)
    assert_no_axe_violations(page)
    page.get_by_label(words["what"]).fill(title)
    expect(page.get_by_label(words["file"])).to_have_count(1)
    page.locator("#id_file").set_input_files(str(fake))
    page.get_by_role("button", name=words["button"], exact=True).click()
    expect(page.locator(".usa-error-message").first).to_contain_text(words["wrong"])
    page.wait_for_load_state()
    assert model.objects.count() == 0
    assert_no_axe_violations(page)

    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name=words["button"], exact=True).click()
    expect(page).to_have_url(back_url)
    expect(page.locator("main")).to_contain_text(words["attached"])
