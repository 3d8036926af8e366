"""The resource assessment's guided checklist: its sections and questions, how each answer is
checked, and the sentence each yes-or-no question gives in the summary across a library
system ("6 of 10 locations have a private room for a video interview"). No models: answers are
a JSON object keyed by question code (directory.models.Assessment.answers)."""

from dataclasses import dataclass
from datetime import time

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobhelp.core.enums import Language, Need
from jobhelp.directory.enums import Collection, Software

YES_NO, NUMBER, TEXT, CHOICES, HOURS = "yes_no", "number", "text", "choices", "hours"


@dataclass(frozen=True)
class Question:
    code: str
    section: str
    kind: str
    label: Promise
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()
    # For yes-or-no questions: "%(yes)s of %(total)s locations ..." in the summary.
    summary: Promise | None = None


SECTIONS = (
    ("computers", gettext_lazy("Computers")),
    ("printing", gettext_lazy("Printers and scanners")),
    ("rooms", gettext_lazy("Quiet rooms")),
    ("staff", gettext_lazy("Staff skills and languages")),
    ("hours", gettext_lazy("Hours")),
    ("collections", gettext_lazy("Job-search collections")),
    ("wifi", gettext_lazy("Wi-Fi")),
    ("accessibility", gettext_lazy("Accessibility")),
)

QUESTIONS = (
    Question(
        "computers",
        "computers",
        NUMBER,
        gettext_lazy("How many computers can the public use?"),
    ),
    Question(
        "software",
        "computers",
        CHOICES,
        gettext_lazy("What do the public computers have?"),
        required=False,
        choices=tuple(Software.choices),
    ),
    Question(
        "printing",
        "printing",
        YES_NO,
        gettext_lazy("Can people print from the public computers?"),
        summary=gettext_lazy("%(yes)s of %(total)s locations let people print"),
    ),
    Question(
        "scanning",
        "printing",
        YES_NO,
        gettext_lazy("Is there a scanner people can use (for IDs and documents)?"),
        summary=gettext_lazy("%(yes)s of %(total)s locations have a scanner"),
    ),
    Question(
        "quiet_room",
        "rooms",
        YES_NO,
        gettext_lazy("Is there a private room for a video interview?"),
        summary=gettext_lazy(
            "%(yes)s of %(total)s locations have a private room for a video interview"
        ),
    ),
    Question(
        "staff_skills",
        "staff",
        CHOICES,
        gettext_lazy("What can staff here help job seekers with?"),
        required=False,
        choices=tuple(Need.choices),
    ),
    Question(
        "staff_languages",
        "staff",
        CHOICES,
        gettext_lazy("Which languages do staff here speak?"),
        required=False,
        choices=tuple(Language.choices),
    ),
    Question(
        "hours",
        "hours",
        HOURS,
        gettext_lazy("When is the location open? (day, from, until)"),
    ),
    Question(
        "collections",
        "collections",
        CHOICES,
        gettext_lazy("Which job-search collections does it have?"),
        required=False,
        choices=tuple(Collection.choices),
    ),
    Question(
        "wifi",
        "wifi",
        YES_NO,
        gettext_lazy("Is there free public Wi-Fi?"),
        summary=gettext_lazy("%(yes)s of %(total)s locations have free Wi-Fi"),
    ),
    Question(
        "accessible_entrance",
        "accessibility",
        YES_NO,
        gettext_lazy("Is there a step-free entrance?"),
        summary=gettext_lazy("%(yes)s of %(total)s locations have a step-free entrance"),
    ),
    Question(
        "accessible_computer",
        "accessibility",
        YES_NO,
        gettext_lazy("Is there an accessible computer (adjustable desk, screen reader)?"),
        summary=gettext_lazy("%(yes)s of %(total)s locations have an accessible computer"),
    ),
    Question(
        "accessibility_notes",
        "accessibility",
        TEXT,
        gettext_lazy("Anything else about getting in and around?"),
        required=False,
    ),
)
BY_CODE = {q.code: q for q in QUESTIONS}


class AnswerError(ValueError):
    """Answers the checklist cannot take; `errors` maps question codes to messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in sorted(errors.items())))


def _time(value: str) -> time:
    return time.fromisoformat(value)


def clean_answer(question: Question, value):
    """The answer as stored (JSON), or ValueError with a message for the person filling in."""
    if question.kind == YES_NO:
        if not isinstance(value, bool):
            raise ValueError(_("Answer yes or no."))
        return value
    if question.kind == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            raise ValueError(_("Enter a whole number from 0 to 1000."))
        return value
    if question.kind == TEXT:
        if not isinstance(value, str) or len(value) > 2000:
            raise ValueError(_("Write at most 2,000 characters."))
        return value.strip()
    if question.kind == CHOICES:
        allowed = {code for code, _label in question.choices}
        if not isinstance(value, list) or not set(value) <= allowed:
            raise ValueError(_("Choose from the list."))
        return [code for code, _label in question.choices if code in value]
    # HOURS: [[weekday, "09:00", "20:00"], ...] on the location's clock.
    try:
        intervals = sorted(
            (int(day), _time(opens).isoformat("minutes"), _time(closes).isoformat("minutes"))
            for day, opens, closes in value
        )
    except (TypeError, ValueError):
        raise ValueError(
            _("Give each opening as a day, a time it opens and a time it closes.")
        ) from None
    if any(not 0 <= d <= 6 or not o < c for d, o, c in intervals):
        raise ValueError(_("Each opening needs a day and must open before it closes."))
    return [list(i) for i in intervals]


def clean_answers(answers: dict) -> dict:
    """Check each answer given (codes of QUESTIONS; None clears an answer); raises AnswerError
    with every problem at once."""
    errors, cleaned = {}, {}
    for code, value in answers.items():
        question = BY_CODE.get(code)
        if question is None:
            errors[code] = _("This is not a question of the checklist.")
            continue
        if value is None:
            cleaned[code] = None
            continue
        try:
            cleaned[code] = clean_answer(question, value)
        except ValueError as error:
            errors[code] = str(error)
    if errors:
        raise AnswerError(errors)
    return cleaned


def missing(answers: dict) -> list[str]:
    """The required questions not answered yet, in the checklist's order."""
    return [q.code for q in QUESTIONS if q.required and answers.get(q.code) is None]


def hours_of(answers: dict) -> list[tuple[int, time, time]]:
    return [(d, _time(o), _time(c)) for d, o, c in answers.get("hours") or []]
