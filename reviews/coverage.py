"""The objective coverage matrix's columns. `reviews` cannot import the apps built on it, so each of them
registers the column it can count (from its AppConfig.ready), and the matrix asks every registered column.

A column's `count_by_objective` is called as `count_by_objective(review=review)` and returns
{objective number: count} for that one review, in a constant number of queries. Objectives it does not
mention count as zero.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils.functional import Promise


@dataclass(frozen=True)
class CoverageColumn:
    key: str
    label: str | Promise
    # Returns {objective number: count} for one review, in a constant number of queries.
    count_by_objective: Callable[..., dict[int, int]]
    order: int = 100


_columns: dict[str, CoverageColumn] = {}


def register_column(column: CoverageColumn) -> None:
    _columns[column.key] = column


def registered_columns() -> list[CoverageColumn]:
    return sorted(_columns.values(), key=lambda c: (c.order, c.key))


def count_events_by_objective(*, review) -> dict[int, int]:
    """Timeline events of `review` per focus objective (one query)."""
    from .models import ReviewEvent

    rows = (
        ReviewEvent.objects.filter(review=review, objectives__isnull=False)
        # Without clearing the default ordering its columns would join the GROUP BY and split the counts.
        .order_by()
        .values("objectives__number")
        .annotate(count=Count("id", distinct=True))
    )
    return {row["objectives__number"]: row["count"] for row in rows}


@dataclass(frozen=True)
class CoverageRow:
    objective: object
    counts: tuple[int, ...]

    @property
    def covered(self) -> bool:
        return any(self.counts)


@dataclass(frozen=True)
class CoverageGroup:
    area: object
    rows: tuple[CoverageRow, ...]


@dataclass(frozen=True)
class CoverageMatrix:
    columns: tuple[CoverageColumn, ...]
    groups: tuple[CoverageGroup, ...]

    @property
    def uncovered(self) -> list:
        """Objectives no column counts anything for, each once, by number."""
        seen = {row.objective.number: row.objective for g in self.groups for row in g.rows if not row.covered}
        return [seen[n] for n in sorted(seen)]

    @property
    def totals(self) -> tuple[int, ...]:
        """Per column, the number of objectives it touches at least once."""
        by_number = {row.objective.number: row.counts for g in self.groups for row in g.rows}
        return tuple(sum(1 for counts in by_number.values() if counts[i]) for i in range(len(self.columns)))


def build_matrix(*, review) -> CoverageMatrix:
    """Rows are the objectives grouped by thematic area, columns the registered counts. Queries: two for
    the areas and their objectives, plus one per column (each column promises a constant number)."""
    from .models import Objective, ThematicArea

    columns = tuple(registered_columns())
    counts = [column.count_by_objective(review=review) for column in columns]
    areas = ThematicArea.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number"))
    ).order_by("number")
    groups = tuple(
        CoverageGroup(
            area=area,
            rows=tuple(
                CoverageRow(objective=o, counts=tuple(int(c.get(o.number, 0)) for c in counts))
                for o in area.objectives.all()
            ),
        )
        for area in areas
    )
    return CoverageMatrix(columns=columns, groups=groups)
