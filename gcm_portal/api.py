"""The read-only open-data API (filled by the pledges issue): a router over the apps' api.py viewsets."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
