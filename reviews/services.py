"""Changes to reviews, their timelines and their teams. Every function runs in a transaction and writes an
audit entry for each change it makes (actor None means the system, e.g. the demo loader)."""

from typing import Any

from django.db import transaction

from gcm_portal.audit import record_audit

from .models import Objective, Region, RegionalReview, ReviewEvent, ReviewMembership

LANGS = ("ar", "en", "fr")


def _merge_status(existing: dict, incoming: dict) -> dict:
    # A translation staff already verified stays verified: reloading must not undo that decision.
    return {
        lang: "verified" if existing.get(lang) == "verified" else status for lang, status in incoming.items()
    }


def _apply(obj, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = (old, value)
            setattr(obj, name, value)
    return changes


def _audit_changes(*, actor, action: str, obj, changes: dict[str, tuple[Any, Any]]) -> None:
    record_audit(
        actor=actor,
        action=action,
        obj=obj,
        before={name: old for name, (old, _new) in changes.items()},
        after={name: new for name, (_old, new) in changes.items()},
    )


@transaction.atomic
def grant_review_membership(*, actor, review: RegionalReview, user, role: str) -> ReviewMembership:
    """Give `user` the rights of `role` on `review` (no-op if they have it).

    Side effects: may insert a ReviewMembership; writes an audit entry when it does.
    """
    membership, created = ReviewMembership.objects.get_or_create(review=review, user=user, role=role)
    if created:
        record_audit(
            actor=actor,
            action="reviews.membership.grant",
            obj=membership,
            after={"review": review.pk, "user": user.pk, "role": role},
        )
    return membership


@transaction.atomic
def revoke_review_membership(*, actor, membership: ReviewMembership) -> None:
    """Take a team role on a review away.

    Side effects: deletes the ReviewMembership; writes an audit entry.
    """
    record_audit(
        actor=actor,
        action="reviews.membership.revoke",
        obj=membership,
        before={"review": membership.review_id, "user": membership.user_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def upsert_review(
    *,
    actor,
    region: Region,
    round: int,
    values: dict[str, Any],
    translation_status: dict[str, str],
) -> RegionalReview:
    """Create the review of `region` and `round`, or bring an existing one to `values` (model field names,
    translated fields as title_ar/title_en/…). Validates with the model's clean().

    Side effects: inserts or updates a RegionalReview; writes an audit entry when anything changed.
    """
    review = RegionalReview.objects.select_for_update().filter(region=region, round=round).first()
    created = review is None
    if created:
        review = RegionalReview(region=region, round=round)
    changes = _apply(review, values)
    status = _merge_status(review.translation_status or {}, translation_status)
    changes |= _apply(review, {"translation_status": status})
    if created or changes:
        review.full_clean()
        review.save()
        _audit_changes(
            actor=actor,
            action="reviews.review.create" if created else "reviews.review.update",
            obj=review,
            changes=changes,
        )
    return review


@transaction.atomic
def upsert_review_event(
    *,
    actor,
    review: RegionalReview,
    match_title_en: str,
    values: dict[str, Any],
    objective_numbers: list[int],
    translation_status: dict[str, str],
) -> ReviewEvent:
    """Create the event of `review` whose English title is `match_title_en`, or bring it to `values`.
    Dates are validated by the model's clean() (precision rules in reviews/dates.py).

    Side effects: inserts or updates a ReviewEvent and its focus objectives; writes an audit entry when
    anything changed.
    """
    event = ReviewEvent.objects.select_for_update().filter(review=review, title_en=match_title_en).first()
    created = event is None
    if created:
        event = ReviewEvent(review=review)
    changes = _apply(event, values)
    changes |= _apply(
        event, {"translation_status": _merge_status(event.translation_status or {}, translation_status)}
    )
    if created or changes:
        event.full_clean()
        event.save()
    objectives = list(Objective.objects.filter(number__in=objective_numbers).order_by("number"))
    current = sorted(event.objectives.values_list("number", flat=True)) if not created else []
    wanted = [objective.number for objective in objectives]
    if current != wanted:
        event.objectives.set(objectives)
        changes["objectives"] = (current, wanted)
    if created or changes:
        _audit_changes(
            actor=actor,
            action="reviews.event.create" if created else "reviews.event.update",
            obj=event,
            changes=changes,
        )
    return event
