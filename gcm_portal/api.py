"""The read-only open-data API, outside the language prefix: a router over the apps' api.py viewsets, the
OpenAPI schema at /api/schema/ and a documentation page at /api/docs/.

The documentation is rendered on the server from the same schema: an interactive explorer would need
scripts from a third-party CDN, which the Content-Security-Policy (script-src 'self') rightly refuses.
"""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from consultations.api import ConsultationViewSet
from pledges.api import PledgeViewSet, WrittenInputViewSet
from reviews.api import RegionalReviewViewSet, ReviewEventViewSet

router = DefaultRouter()
router.register("reviews", RegionalReviewViewSet, basename="api-review")
router.register("events", ReviewEventViewSet, basename="api-event")
router.register("consultations", ConsultationViewSet, basename="api-consultation")
router.register("pledges", PledgeViewSet, basename="api-pledge")
router.register("written-inputs", WrittenInputViewSet, basename="api-written-input")

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _operations() -> list[dict]:
    # The schema only changes with a deployment, so one copy per process version is enough.
    key = "api:docs:operations:v1"
    operations = cache.get(key)
    if operations is None:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        operations = [
            {
                "method": method.upper(),
                "path": route,
                "summary": (operation.get("description") or "").strip(),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "in": parameter["in"],
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation.get("parameters", [])
                ],
            }
            for route, item in schema.get("paths", {}).items()
            for method, operation in item.items()
            if method in HTTP_METHODS
        ]
        cache.set(key, operations, 3600)
    return operations


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {"operations": _operations()})


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
    *router.urls,
]
