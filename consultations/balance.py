"""Balanced participation: distributions of participants by region, gender and stakeholder group, their
distance from the organizers' targets, and the greedy proposal of whom to promote from the waiting list.

Pure functions over snapshots (registration rows or anything with the same attributes), so they can be
tested without a database and reused by the organizer page and the promotion proposal alike.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

# Dimension name (as used in Consultation.balance_targets) → the Registration snapshot attribute.
DIMENSIONS: dict[str, str] = {
    "region": "region_key",
    "gender": "gender",
    "stakeholder_group": "stakeholder_group_key",
}


class Person(Protocol):
    region_key: str
    gender: str
    stakeholder_group_key: str


T = TypeVar("T", bound=Person)


@dataclass(frozen=True)
class Distribution:
    """Counts per category of one dimension, over `total` people (people with no value count in the total)."""

    counts: Mapping[str, int]
    total: int

    def share(self, category: str) -> float:
        return self.counts.get(category, 0) / self.total if self.total else 0.0


def distribution(people: Iterable[Person], dimension: str) -> Distribution:
    attribute = DIMENSIONS[dimension]
    values = [getattr(person, attribute) or "" for person in people]
    return Distribution(counts=Counter(value for value in values if value), total=len(values))


def target_shares(
    targets: Mapping[str, Mapping[str, float]], dimension: str, categories: Iterable[str]
) -> dict[str, float]:
    """Shares (0–1) to aim at: the organizers' percentages where they set some, otherwise an even spread over
    the categories present among the people considered."""
    given = targets.get(dimension) or {}
    if given:
        return {key: float(percent) / 100 for key, percent in given.items()}
    present = sorted(set(categories))
    return {key: 1 / len(present) for key in present} if present else {}


def distance(counts: Mapping[str, Counter], total: int, targets: Mapping[str, Mapping[str, float]]) -> float:
    """Sum over dimensions of the squared gaps between the shares and the target shares."""
    if not total:
        return 0.0
    result = 0.0
    for dimension, wanted in targets.items():
        dimension_counts = counts[dimension]
        for category, share in wanted.items():
            result += (dimension_counts.get(category, 0) / total - share) ** 2
    return result


def _counts(people: Iterable[Person]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {dimension: Counter() for dimension in DIMENSIONS}
    for person in people:
        _add(counts, person, 1)
    return counts


def _add(counts: dict[str, Counter], person: Person, step: int) -> None:
    for dimension, attribute in DIMENSIONS.items():
        value = getattr(person, attribute) or ""
        if value:
            counts[dimension][value] += step


def resolved_targets(
    targets: Mapping[str, Mapping[str, float]], people: Sequence[Person]
) -> dict[str, dict[str, float]]:
    """The target shares per dimension, with the even spread computed over `people`."""
    return {
        dimension: target_shares(
            targets, dimension, (getattr(p, attribute) for p in people if getattr(p, attribute))
        )
        for dimension, attribute in DIMENSIONS.items()
    }


def propose_promotions(
    *,
    confirmed: Sequence[Person],
    waitlist: Sequence[T],
    count: int,
    targets: Mapping[str, Mapping[str, float]],
) -> list[T]:
    """Pick up to `count` people from `waitlist` (given in waiting-list order), one at a time, each time the
    person whose addition brings the confirmed distribution closest to the targets. Ties go to whoever has
    waited longest, so with no information to choose by the proposal is simply the waiting list's head."""
    wanted = resolved_targets(targets, [*confirmed, *waitlist])
    counts = _counts(confirmed)
    total = len(confirmed)
    remaining = list(waitlist)
    chosen: list[T] = []
    while remaining and len(chosen) < count:
        best_index, best_distance = 0, None
        for index, candidate in enumerate(remaining):
            _add(counts, candidate, 1)
            candidate_distance = distance(counts, total + 1, wanted)
            _add(counts, candidate, -1)
            if best_distance is None or candidate_distance < best_distance - 1e-12:
                best_index, best_distance = index, candidate_distance
        person = remaining.pop(best_index)
        _add(counts, person, 1)
        total += 1
        chosen.append(person)
    return chosen
