"""Reads of pledges and written inputs: public lists, the dashboard's counts (in SQL, cached per language),
exports and the coverage matrix's columns. Every list reads in a constant number of queries."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from reviews.models import Objective, PledgeForm, Region, RegionalReview
from stakeholders.models import Organization

from .cache import DASHBOARD_TIMEOUT, dashboard_version
from .charts import bar_chart
from .models import Pledge, ProgressUpdate, Submission, SubmissionStatus, WrittenInput
from .traffic_light import TrafficLight, with_traffic_light

SUBMISSION_MODELS: dict[str, type[Submission]] = {"pledge": Pledge, "writteninput": WrittenInput}
PUBLISHED = Q(status=SubmissionStatus.PUBLISHED)


def find_submission(*, model: str, pk: int) -> Submission | None:
    return SUBMISSION_MODELS[model].objects.filter(pk=pk).first()


def published_pledges() -> QuerySet[Pledge]:
    return Pledge.objects.filter(PUBLISHED)


def with_list_relations(queryset: QuerySet[Pledge], *, today: datetime.date) -> QuerySet[Pledge]:
    """What a list row shows: organization, form, objective numbers and the traffic light."""
    return with_traffic_light(
        queryset.select_related("organization", "form").prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.only("id", "number").order_by("number"))
        ),
        today=today,
    )


def pledge_for_page(*, pk: int) -> Pledge:
    return (
        Pledge.objects.select_related("organization", "form", "matches")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("number")),
            "principles",
            "regions",
            Prefetch("reviews", queryset=RegionalReview.objects.filter(is_published=True)),
            "partner_organizations",
            Prefetch(
                "matching_pledges", queryset=Pledge.objects.filter(PUBLISHED).select_related("organization")
            ),
            Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("-date", "-id")),
        )
        .get(pk=pk)
    )


def submissions_of_owner(*, user_id: int, organization_id: int | None) -> dict[str, QuerySet]:
    """What the "mine" page lists: everything of the organization the person is a confirmed member of
    (`organization_id`, None when unconfirmed) and everything they created themselves."""
    owned = Q(created_by_id=user_id)
    if organization_id is not None:
        owned |= Q(organization_id=organization_id)
    return {
        "pledges": Pledge.objects.filter(owned).select_related("form").order_by("-updated_at", "-id"),
        "inputs": WrittenInput.objects.filter(owned).select_related("review").order_by("-updated_at", "-id"),
    }


def published_inputs(*, review: RegionalReview) -> QuerySet[WrittenInput]:
    return (
        WrittenInput.objects.filter(PUBLISHED, review=review)
        .select_related("organization", "stakeholder_group")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.only("id", "number").order_by("number"))
        )
        .order_by("-published_at", "-id")
    )


def default_stakeholder_group_id(*, user) -> int | None:
    """The group a written input is filed under unless the submitter picks another."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    if profile.organization_id and profile.organization.stakeholder_group_id:
        return profile.organization.stakeholder_group_id
    return profile.stakeholder_group_id


# --- Dashboard ------------------------------------------------------------------------------------------


def dashboard(*, language: str, today: datetime.date, rtl: bool) -> dict[str, Any]:
    """Totals and chart data of the published pledges, in the active language, cached until a pledge
    changes (version bump) or the day changes (traffic lights move with time)."""
    key = f"pledges:dashboard:{language}:{today.isoformat()}"
    version = dashboard_version()
    data = cache.get(key, version=version)
    if data is None:
        data = _compute_dashboard(today=today, rtl=rtl)
        cache.set(key, data, timeout=DASHBOARD_TIMEOUT, version=version)
    return data


def _list_url(**params: Any) -> str:
    from urllib.parse import urlencode

    return f"{reverse('pledges:list')}?{urlencode(params)}"


def _compute_dashboard(*, today: datetime.date, rtl: bool) -> dict[str, Any]:
    published = published_pledges()
    totals = published.aggregate(
        pledges=Count("id"),
        organizations=Count("organization", distinct=True),
        member_states=Count(
            "organization", distinct=True, filter=Q(organization__kind=Organization.Kind.MEMBER_STATE)
        ),
    )
    amounts = list(
        published.filter(amount__isnull=False)
        .exclude(currency="")
        .values("currency")
        .annotate(total=Sum("amount"), pledges=Count("id"))
        .order_by("-pledges", "currency")[:5]
    )
    objectives = Objective.objects.annotate(
        n=Count("pledges", filter=Q(pledges__status=SubmissionStatus.PUBLISHED))
    )
    forms = PledgeForm.objects.annotate(
        n=Count("pledges", filter=Q(pledges__status=SubmissionStatus.PUBLISHED))
    )
    regions = Region.objects.annotate(
        n=Count("pledges", filter=Q(pledges__status=SubmissionStatus.PUBLISHED))
    )
    lights = dict(
        with_traffic_light(published, today=today).order_by().values_list("light").annotate(n=Count("id"))
    )
    kinds = dict(published.order_by().values_list("organization__kind").annotate(n=Count("id")))
    totals["fulfilled"] = lights.get(TrafficLight.FULFILLED, 0)
    charts = [
        bar_chart(
            key="objective",
            title=_("Pledges by GCM objective"),
            label_heading=_("Objective"),
            rows=[
                {
                    "label": f"{o.number}. {o.short_title or o.title}",
                    "value": o.n,
                    "url": _list_url(objective=o.number),
                }
                for o in objectives.order_by("number")
            ],
            rtl=rtl,
        ),
        bar_chart(
            key="form",
            title=_("Pledges by form"),
            label_heading=_("Form"),
            rows=[{"label": f.name, "value": f.n, "url": _list_url(form=f.key)} for f in forms],
            rtl=rtl,
        ),
        bar_chart(
            key="region",
            title=_("Pledges by region"),
            label_heading=_("Region"),
            rows=[{"label": r.name, "value": r.n, "url": _list_url(region=r.key)} for r in regions],
            rtl=rtl,
        ),
        bar_chart(
            key="progress",
            title=_("Pledges by implementation progress"),
            label_heading=_("Progress"),
            rows=[
                {
                    "label": str(label),
                    "value": lights.get(value, 0),
                    "url": _list_url(progress=value),
                    "css": value,
                }
                for value, label in TrafficLight.choices
            ],
            rtl=rtl,
        ),
        bar_chart(
            key="kind",
            title=_("Pledges by kind of pledger"),
            label_heading=_("Pledger"),
            rows=[
                {"label": str(label), "value": kinds.get(value, 0), "url": _list_url(kind=value)}
                for value, label in Organization.Kind.choices
            ],
            rtl=rtl,
        ),
    ]
    return {"totals": totals, "amounts": amounts, "charts": charts}


# --- Exports --------------------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "id",
    "url",
    "title",
    "title_language",
    "description",
    "description_language",
    "original_language",
    "organization",
    "organization_acronym",
    "organization_kind",
    "organization_country",
    "partner_organizations",
    "matches_pledge",
    "form",
    "objectives",
    "guiding_principles",
    "regions",
    "reviews",
    "indicator",
    "target",
    "baseline",
    "start_date",
    "end_date",
    "amount",
    "currency",
    "implementation_status",
    "traffic_light",
    "last_progress_on",
    "published_at",
]


def export_queryset(
    queryset: QuerySet[Pledge], *, today: datetime.date, with_progress: bool
) -> QuerySet[Pledge]:
    relations = [
        Prefetch("objectives", queryset=Objective.objects.only("id", "number").order_by("number")),
        "principles",
        "regions",
        Prefetch("reviews", queryset=RegionalReview.objects.filter(is_published=True)),
        "partner_organizations",
    ]
    if with_progress:
        relations.append(Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("date", "id")))
    return with_traffic_light(
        queryset.filter(PUBLISHED).select_related("organization", "form").prefetch_related(*relations),
        today=today,
    )


def export_rows(
    queryset: QuerySet[Pledge], *, today: datetime.date, base_url: str, with_progress: bool = False
) -> Iterator[dict[str, Any]]:
    """Published pledges as plain values, never their contact person or screening details."""
    for pledge in export_queryset(queryset, today=today, with_progress=with_progress).iterator(
        chunk_size=500
    ):
        title = pledge.localized_title
        description = pledge.localized_description
        row = {
            "id": pledge.pk,
            "url": base_url + pledge.get_absolute_url(),
            "title": title.text,
            "title_language": title.language,
            "description": description.text,
            "description_language": description.language,
            "original_language": pledge.original_language,
            "organization": pledge.organization.name,
            "organization_acronym": pledge.organization.acronym,
            "organization_kind": pledge.organization.kind,
            "organization_country": str(pledge.organization.country or ""),
            "partner_organizations": [o.name for o in pledge.partner_organizations.all()],
            "matches_pledge": pledge.matches_id,
            "form": pledge.form.key if pledge.form_id else "",
            "objectives": [o.number for o in pledge.objectives.all()],
            "guiding_principles": [p.key for p in pledge.principles.all()],
            "regions": [r.key for r in pledge.regions.all()],
            "reviews": [r.slug for r in pledge.reviews.all()],
            "indicator": pledge.indicator,
            "target": pledge.target,
            "baseline": pledge.baseline,
            "start_date": pledge.start_date.isoformat() if pledge.start_date else None,
            "end_date": pledge.end_date.isoformat() if pledge.end_date else None,
            "amount": str(pledge.amount) if pledge.amount is not None else None,
            "currency": pledge.currency,
            "implementation_status": pledge.implementation_status,
            "traffic_light": pledge.light,
            "last_progress_on": pledge.last_progress_on.isoformat() if pledge.last_progress_on else None,
            "published_at": pledge.published_at.isoformat() if pledge.published_at else None,
        }
        if with_progress:
            row["progress_updates"] = [
                {
                    "date": u.date.isoformat(),
                    "implementation_status": u.implementation_status,
                    "narrative": u.narrative,
                    "indicator_value": str(u.indicator_value) if u.indicator_value is not None else None,
                }
                for u in pledge.progress_updates.all()
            ]
        yield row


# --- Coverage matrix columns ----------------------------------------------------------------------------


def published_pledges_by_objective(review: RegionalReview) -> dict[int, int]:
    """Published pledges related to `review`, per objective number (one query)."""
    rows = (
        Pledge.objects.filter(PUBLISHED, reviews=review)
        .order_by()
        .values_list("objectives__number")
        .annotate(n=Count("id", distinct=True))
    )
    return {number: n for number, n in rows if number is not None}


def published_inputs_by_objective(review: RegionalReview) -> dict[int, int]:
    """Published written inputs to `review`, per objective number (one query)."""
    rows = (
        WrittenInput.objects.filter(PUBLISHED, review=review)
        .order_by()
        .values_list("objectives__number")
        .annotate(n=Count("id", distinct=True))
    )
    return {number: n for number, n in rows if number is not None}
