"""The reader's language: names staff enter in two languages, the language of a patron's
pages, and the words of an empty choice."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from jobhelp.core.forms import UswdsFormMixin
from jobhelp.core.i18n import activate_patron_language, localized
from jobhelp.intake.models import RoutingRule
from jobhelp.organizations.models import Location
from jobhelp.scheduling.models import AppointmentType
from jobhelp.workshops.models import Workshop


@pytest.mark.parametrize(
    ("language", "title_es", "shown"),
    [
        ("es", "Entrevistas en línea", "Entrevistas en línea"),
        ("es", "", "Online Interviewing Tips"),
        ("en", "Entrevistas en línea", "Online Interviewing Tips"),
        ("es-mx", "Entrevistas en línea", "Entrevistas en línea"),
        # A language the site does not have, and a model without a field for it.
        ("so", "Entrevistas en línea", "Online Interviewing Tips"),
    ],
)
def test_a_name_is_read_in_the_readers_language_or_in_english(language, title_es, shown):
    workshop = Workshop(title="Online Interviewing Tips", title_es=title_es)
    with translation.override(language):
        assert (localized(workshop, "title"), str(workshop)) == (shown, shown)


def test_every_translated_name_falls_back_the_same_way():
    kinds = [
        (AppointmentType(name="Resumé review", name_es="Revisión del currículum"), "name"),
        (AppointmentType(name="Phone help"), "name"),
        (RoutingRule(name="Spanish speakers", name_es="Hispanohablantes"), "name"),
        (Workshop(title="x", description="In English", description_es=""), "description"),
    ]
    assert [localized(obj, field, "es") for obj, field in kinds] == [
        "Revisión del currículum",
        "Phone help",
        "Hispanohablantes",
        "In English",
    ]
    assert [str(obj) for obj, field in kinds[:3]] == [
        "Resumé review",
        "Phone help",
        "Spanish speakers",
    ]


def test_the_template_filter():
    template = Template('{% load jobhelp %}{{ workshop|localized:"title" }}')
    workshop = Workshop(title="Resumé Basics", title_es="Currículum básico")
    with translation.override("es"):
        assert template.render(Context({"workshop": workshop})) == "Currículum básico"


def patron_page(**cookies):
    request = RequestFactory().get("/appointments/x/", HTTP_ACCEPT_LANGUAGE="en")
    request.COOKIES.update(cookies)
    request.LANGUAGE_CODE = "en"
    return request


@pytest.mark.parametrize(
    ("chosen", "cookies", "page"),
    [
        ("es", {}, "es"),
        ("en", {}, "en"),
        # The switcher's choice wins over the request's.
        ("es", {"django_language": "en"}, "en"),
        # A language the site lacks leaves the browser's.
        ("so", {}, "en"),
        # A cookie the site does not know is no choice.
        ("es", {"django_language": "xx"}, "es"),
    ],
)
def test_a_patrons_page_is_in_the_language_they_chose(chosen, cookies, page):
    request = patron_page(**cookies)
    with translation.override("en"):
        activate_patron_language(request, chosen)
        assert (translation.get_language(), request.LANGUAGE_CODE) == (page, page)


class Choices(UswdsFormMixin, forms.Form):
    place = forms.ModelChoiceField(queryset=Location.objects.none())
    kept = forms.ModelChoiceField(queryset=Location.objects.none(), empty_label="Anywhere")


def test_an_empty_choice_reads_choose_one_in_the_readers_language():
    """Django's "- Select an option -" has no Spanish; every list, a model field's choices in
    the admin too, says ours."""
    form = Choices()
    language = RoutingRule._meta.get_field("language").formfield()
    with translation.override("es"):
        labels = (
            str(form.fields["place"].empty_label),
            str(next(iter(language.choices))[1]),
            form.fields["kept"].empty_label,
            str(form["place"]).count("Elija una opción"),
        )
    assert labels == ("Elija una opción", "Elija una opción", "Anywhere", 1)


def test_the_spanish_catalogue_has_no_slash_forms():
    """ "inscrito/a", "nuestro/a": a neutral phrasing reads better and is read aloud right."""
    catalogue = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
    # Every entry's translation: from its first msgstr line to the end of the entry.
    translations = [
        entry.split("\nmsgstr", 1)[1]
        for entry in catalogue.read_text().split("\n\n")
        if "\nmsgstr" in entry
    ]
    slashed = [t for t in translations if re.search(r"\b\w+/(a|as|o|os)\b", t)]
    assert slashed == []
