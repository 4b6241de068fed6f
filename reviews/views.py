from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Objective
from .selectors import get_objective


def objective_detail(request: HttpRequest, number: int) -> HttpResponse:
    try:
        objective = get_objective(number=number)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "reviews/objective_detail.html", {"objective": objective})
