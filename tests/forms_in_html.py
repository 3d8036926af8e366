"""Reading a rendered form back out of the HTML, to check that nothing a person typed was lost."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    """What a browser would send back from the page's request form: the values of text inputs,
    checked boxes and radios, selected options and text areas."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.in_form = False
        self.select = None
        self.textarea = None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = "usa-form" in (a.get("class") or "")
        if not self.in_form:
            return
        if tag == "input" and a.get("name") != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(a["name"], a.get("value") or "on")
            elif kind != "submit":
                self._add(a["name"], a.get("value") or "")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self._add(self.select, a.get("value") or "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self._add(self.textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][-1] += data


def form_values(response) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    values = parser.values
    for name, items in values.items():
        # A browser drops the one line break that follows <textarea>.
        values[name] = [v.removeprefix("\n") for v in items]
    return values


def as_form_values(data: dict) -> dict[str, list[str]]:
    """POST data in the shape form_values() returns."""
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}
