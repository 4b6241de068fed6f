from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from reviews.selectors import list_thematic_areas_with_objectives

from .cache import cache_public_page
from .signals import REFERENCE_NAMESPACE


@cache_public_page(REFERENCE_NAMESPACE)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"thematic_areas": list_thematic_areas_with_objectives()})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: the web process is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
