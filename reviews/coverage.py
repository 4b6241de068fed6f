"""The objective coverage matrix's columns. `reviews` cannot import the apps built on it, so each of them
registers the column it can count (from its AppConfig.ready), and the matrix asks every registered column.
"""

from collections.abc import Callable
from dataclasses import dataclass

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
