"""Links on a review's page to what other apps publish about it (written inputs, documents). `reviews` cannot
import those apps, so they register their link (from AppConfig.ready) and the review page lists them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class ReviewLink:
    key: str
    label: str | Promise
    url_name: str  # reversed with the review's slug
    order: int = 100


_links: dict[str, ReviewLink] = {}


def register_review_link(link: ReviewLink) -> None:
    _links[link.key] = link


def links_for_review(*, slug: str) -> list[tuple[str | Promise, str]]:
    return [
        (link.label, reverse(link.url_name, kwargs={"slug": slug}))
        for link in sorted(_links.values(), key=lambda link: (link.order, link.key))
    ]
