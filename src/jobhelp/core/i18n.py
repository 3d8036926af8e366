"""The reader's language, in the two places the browser's is not the answer. See
docs/conventions/i18n.md.

- Names staff enter that patrons read (appointment types, classes, routing rules) have a
  Spanish field beside the English one (`name_es`, `title_es`, `description_es`); `localized`
  gives the one in the active language, or the English when it was left empty.
- Widget text: the empty choice of every list says EMPTY_CHOICE, translated.
- A page a patron opens from a link in a message (their appointment, a self-booking offer,
  their class registration, the survey) is shown in the language they chose on their request or
  registration (`activate_patron_language`), unless this browser chose a language with the
  switcher, which then wins.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# What an empty choice in a list says (set as Django's BLANK_CHOICE_LABEL in CoreConfig.ready).
EMPTY_CHOICE = _("Choose one")
SITE_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _active() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>` as the reader of `language` (by default the active language) should see
    it: `<field>_<language>` when the model has it and it is filled in, else `<field>`, the
    English every such name has."""
    language = (language or _active()).split("-")[0]
    if language != settings.LANGUAGE_CODE:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


def chose_language(request: HttpRequest) -> bool:
    """Whether this browser chose a site language with the switcher (Django's set_language
    view keeps it in the language cookie)."""
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in SITE_LANGUAGES


def activate_patron_language(request: HttpRequest, language: str) -> None:
    """Show this response in `language`, the one the patron chose on their request or class
    registration, when the site has it, unless the browser chose one with the switcher.
    LocaleMiddleware chose from the cookie or the browser's Accept-Language at the start of the
    request; this overrides the second only (a library's shared computer may be set to any
    language, and a patron opening their link on a friend's phone reads their own)."""
    if chose_language(request) or language not in SITE_LANGUAGES:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
