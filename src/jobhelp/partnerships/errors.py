"""What the domain modules of partnerships raise; the pages show the message, the API answers
409 (a refused change) or 422 (bad input) with it."""

from django.utils.translation import gettext as _


class PartnershipError(Exception):
    """Bad input or a refused change; the message is for the person acting. Nothing has been
    written when it is raised."""


class AlreadyDone(PartnershipError):
    """Someone else marked the occurrence done first."""

    def __init__(self, occurrence):
        self.occurrence = occurrence
        self.done_by = occurrence.done_by
        super().__init__(
            _("%(name)s already marked this done.")
            % {"name": occurrence.done_by or _("Someone else")}
        )
