"""Referral figures for managers, in both directions: the referrals their organizations sent
and those they received, by partner, by service, by what came of them, and the days to the
first answer; with small-cell suppression (reports.suppression) as every other table. Counts
only: no report reads a consent or a note.

A referral counts in the period it was *sent*. Of the report's filters, the organization
applies (sent by it, or received by it) and the need (the referral's); channel, modality,
language and helper describe requests and do not apply.

Also the referrals section of the partnership's quarterly report
(partnerships.report.register_section, from ReportsConfig.ready).
"""

from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jobhelp.referrals.enums import Outcome, ReferralState
from jobhelp.referrals.models import Referral
from jobhelp.referrals.queries import referrals_for_user
from jobhelp.reports import percentiles
from jobhelp.reports.filters import ReportFilters, Scope, bounds
from jobhelp.reports.queries import Durations
from jobhelp.reports.readonly import read_only
from jobhelp.reports.suppression import suppress, suppress_parts
from jobhelp.reports.tables import DECIMAL, Cell, Column, Row, Table

SENT, RECEIVED = "sent", "received"
# What became of a referral, in the order the table shows it: the outcomes of completed ones,
# then the other ends, then those still open.
ENDS = (
    *((o.value, o.label) for o in Outcome),
    ("declined", ReferralState.DECLINED.label),
    ("expired", ReferralState.EXPIRED.label),
    ("cancelled", ReferralState.CANCELLED.label),
    ("open", None),
)


@dataclass(frozen=True)
class PartnerFigures:
    organization_id: int
    name: str
    referrals: int
    accepted: int
    completed: int
    got_help: int


@dataclass(frozen=True)
class DirectionFigures:
    total: int
    by_partner: tuple[PartnerFigures, ...]
    # (service id, service, its organization) -> count
    by_service: dict[tuple[int, str, str], int]
    by_end: dict[str, int]
    first_response: Durations


@dataclass(frozen=True)
class ReferralFigures:
    sent: DirectionFigures
    received: DirectionFigures


def _accepted() -> Q:
    """Answered, and not with a no: accepted at some point, whatever happened next."""
    return Q(first_response_at__isnull=False, decline_reason="")


def _first_response():
    return ExpressionWrapper(F("first_response_at") - F("sent_at"), output_field=DurationField())


def _direction(referrals, partner: str) -> DirectionFigures:
    """Four queries (six on SQLite, for the percentiles)."""
    by_partner = tuple(
        PartnerFigures(*row)
        for row in referrals.values_list(f"{partner}_id", f"{partner}__name")
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=_accepted()),
            completed=Count("pk", filter=Q(state=ReferralState.COMPLETED)),
            got_help=Count("pk", filter=Q(outcome=Outcome.GOT_HELP)),
        )
        .order_by(f"{partner}__name", f"{partner}_id")
    )
    by_service = {
        (pk, name, organization): n
        for pk, name, organization, n in referrals.values_list(
            "service_id", "service__name", "service__organization__name"
        )
        .annotate(n=Count("pk"))
        .order_by("service__name", "service_id")
    }
    by_end: dict[str, int] = {}
    for state, outcome, n in (
        referrals.values_list("state", "outcome").annotate(n=Count("pk")).order_by()
    ):
        key = outcome if state == ReferralState.COMPLETED else state
        if state not in (
            ReferralState.COMPLETED,
            ReferralState.DECLINED,
            ReferralState.EXPIRED,
            ReferralState.CANCELLED,
        ):
            key = "open"
        by_end[key] = by_end.get(key, 0) + n
    response = _first_response()
    values = referrals.aggregate(total=Count("pk"), **percentiles.aggregates("response", response))
    percentiles.complete(values, referrals, "response", response)
    return DirectionFigures(
        total=values["total"],
        by_partner=by_partner,
        by_service=by_service,
        by_end=by_end,
        first_response=Durations(
            count=values["response_n"],
            median=values[percentiles.key("response", 0.5)],
            p90=values[percentiles.key("response", 0.9)],
        ),
    )


def referral_figures(scope: Scope, filters: ReportFilters) -> ReferralFigures:
    """Both directions' figures, on one read-only snapshot: eight queries (twelve on SQLite)."""
    ids = sorted(o.pk for o in scope.covered(filters.organization_id))
    since, until = bounds(filters.start, filters.end, scope.zone(filters.organization_id))
    period = Q(sent_at__gte=since, sent_at__lt=until)
    if filters.need:
        period &= Q(need=filters.need)
    with read_only():
        sent = _direction(
            Referral.objects.filter(period, from_organization_id__in=ids).order_by(),
            "to_organization",
        )
        received = _direction(
            Referral.objects.filter(period, to_organization_id__in=ids).order_by(),
            "from_organization",
        )
    return ReferralFigures(sent=sent, received=received)


# --- Tables ---------------------------------------------------------------------------------


def _count(n: int) -> Cell:
    return Cell(suppress(n))


def _days(durations: Durations, attribute: str) -> Cell:
    value = getattr(durations, attribute)
    days = None if value is None else round(value.total_seconds() / 86400, 1)
    return Cell(suppress(days, based_on=durations.count), DECIMAL)


def _partner_table(key: str, title: str, description: str, heading: str, figures) -> Table:
    rows = figures.by_partner
    shown, total = suppress_parts([r.referrals for r in rows], figures.total)
    return Table(
        key=key,
        title=title,
        description=description,
        row_heading=heading,
        columns=(
            Column("referrals", _("Referrals")),
            Column("accepted", _("Accepted")),
            Column("completed", _("Completed")),
            Column("got_help", _("Got help")),
        ),
        rows=(
            *(
                Row(
                    str(r.organization_id),
                    r.name,
                    (Cell(n), _count(r.accepted), _count(r.completed), _count(r.got_help)),
                )
                for r, n in zip(rows, shown, strict=True)
            ),
            Row(
                "total",
                _("All referrals"),
                (
                    Cell(total),
                    _count(sum(r.accepted for r in rows)),
                    _count(sum(r.completed for r in rows)),
                    _count(sum(r.got_help for r in rows)),
                ),
                charted=False,
            ),
        ),
    )


def build_referral_tables(figures: ReferralFigures) -> list[Table]:
    sent, received = figures.sent, figures.received
    services = sorted(
        set(sent.by_service) | set(received.by_service), key=lambda s: (s[1], s[2], s[0])
    )
    end_labels = [(key, str(label) if label else _("Still open")) for key, label in ENDS]
    ends_sent, total_sent = suppress_parts([sent.by_end.get(k, 0) for k, _l in ENDS], sent.total)
    ends_received, total_received = suppress_parts(
        [received.by_end.get(k, 0) for k, _l in ENDS], received.total
    )
    return [
        _partner_table(
            "referrals_sent",
            _("Referrals sent, by partner"),
            _(
                "People your organizations referred to a partner in the period, by the partner "
                "they were sent to, and how many the partner accepted, completed, and helped."
            ),
            _("Sent to"),
            sent,
        ),
        _partner_table(
            "referrals_received",
            _("Referrals received, by partner"),
            _(
                "People a partner referred to your organizations in the period, by the partner "
                "who sent them, and how many you accepted, completed, and helped."
            ),
            _("Sent by"),
            received,
        ),
        Table(
            key="referrals_services",
            title=_("Referrals, by service"),
            description=_(
                "Referrals of the period by the directory service they were sent to: sent by "
                "your organizations, and received at your services."
            ),
            row_heading=_("Service"),
            columns=(Column(SENT, _("Sent")), Column(RECEIVED, _("Received"))),
            rows=tuple(
                Row(
                    str(pk),
                    f"{name} ({organization})",
                    (
                        _count(sent.by_service.get((pk, name, organization), 0)),
                        _count(received.by_service.get((pk, name, organization), 0)),
                    ),
                )
                for pk, name, organization in services
            ),
        ),
        Table(
            key="referrals_outcomes",
            title=_("What came of the referrals"),
            description=_(
                "Referrals of the period by how they ended: the outcome recorded when they "
                "were completed, declined, expired without an answer, cancelled, or still open."
            ),
            row_heading=_("Outcome"),
            columns=(Column(SENT, _("Sent")), Column(RECEIVED, _("Received"))),
            rows=(
                *(
                    Row(key, label, (Cell(s), Cell(r)))
                    for (key, label), s, r in zip(end_labels, ends_sent, ends_received, strict=True)
                ),
                Row(
                    "total",
                    _("All referrals"),
                    (Cell(total_sent), Cell(total_received)),
                    charted=False,
                ),
            ),
        ),
        Table(
            key="referrals_response",
            title=_("Days to the first answer"),
            description=_(
                "Days from sending a referral to the partner's first answer (accepted or "
                "declined): the partners' answers to your referrals, and your answers to "
                "theirs."
            ),
            row_heading=_("Measure"),
            columns=(
                Column(SENT, pgettext("referrals sent", "Our referrals")),
                Column(RECEIVED, pgettext("referrals received", "Their referrals")),
            ),
            rows=(
                Row(
                    "median",
                    _("Median (days)"),
                    (
                        _days(sent.first_response, "median"),
                        _days(received.first_response, "median"),
                    ),
                ),
                Row(
                    "p90",
                    _("90th percentile (days)"),
                    (_days(sent.first_response, "p90"), _days(received.first_response, "p90")),
                ),
                Row(
                    "count",
                    _("Referrals answered"),
                    (_count(sent.first_response.count), _count(received.first_response.count)),
                    charted=False,
                ),
            ),
        ),
    ]


def referral_tables(scope: Scope, filters: ReportFilters) -> list[Table]:
    return build_referral_tables(referral_figures(scope, filters))


# --- The partnership's quarterly report -----------------------------------------------------


def partnership_referrals(user, partnership, *, starts, ends) -> list[list]:
    """The quarterly activity report's referrals section: referrals sent in the quarter
    between the partnership's partners (their branches and affiliates counted with them) that
    the user's organizations sent or received, by direction, with suppressed counts."""
    from jobhelp.partnerships.queries import partner_organizations

    members = partner_organizations(partnership, with_branches=True)
    with read_only():
        rows = list(
            referrals_for_user(user)
            .select_related(None)
            .filter(
                from_organization__in=members,
                to_organization__in=members,
                sent_at__date__gte=starts,
                sent_at__date__lte=ends,
            )
            .values_list(
                "from_organization__parent__name",
                "from_organization__name",
                "to_organization__parent__name",
                "to_organization__name",
            )
            .annotate(
                n=Count("pk"),
                accepted=Count("pk", filter=_accepted()),
                completed=Count("pk", filter=Q(state=ReferralState.COMPLETED)),
                got_help=Count("pk", filter=Q(outcome=Outcome.GOT_HELP)),
            )
            .order_by()
        )
    pairs: dict[tuple[str, str], list[int]] = {}
    for from_parent, from_name, to_parent, to_name, *counts in rows:
        key = (from_parent or from_name, to_parent or to_name)
        pairs[key] = [a + b for a, b in zip(pairs.get(key, [0, 0, 0, 0]), counts, strict=True)]
    section: list[list] = [
        [_("From"), _("To"), _("Referrals"), _("Accepted"), _("Completed"), _("Got help")]
    ]
    for (sender, receiver), counts in sorted(pairs.items()):
        section.append([sender, receiver, *(suppress(n) for n in counts)])
    if len(section) == 1:
        section.append([_("No referrals between the partners in this quarter.")])
    return section
