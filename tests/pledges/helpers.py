"""Query counting for the pledges app's N+1 tests."""

from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Counted:
    response: object
    body: bytes
    queries: int


def counted_get(client, url: str, **extra) -> Counted:
    """GET `url` and count its queries, a streamed body included (an export reads while it streams)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return Counted(response, body, len(queries))
