from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reviews/<slug:slug>/documents/", views.review_documents, name="review_documents"),
    path("reviews/<slug:slug>/documents/status.json", views.render_status, name="render_status"),
    path("reviews/<slug:slug>/documents/outcome/edit/", views.edit_outcome_document, name="edit_outcome"),
    path(
        "reviews/<slug:slug>/documents/outcome/generate/",
        views.generate_outcome_document,
        name="generate_outcome",
    ),
    path(
        "reviews/<slug:slug>/documents/outcome/finalize/",
        views.finalize_outcome_document,
        name="finalize_outcome",
    ),
    path(
        "reviews/<slug:slug>/documents/outcome/reopen/", views.reopen_outcome_document, name="reopen_outcome"
    ),
    path(
        "reviews/<slug:slug>/documents/summaries/<slug:consultation_slug>/edit/",
        views.edit_consultation_summary,
        name="edit_summary",
    ),
    path(
        "reviews/<slug:slug>/documents/summaries/<slug:consultation_slug>/generate/",
        views.generate_consultation_summary,
        name="generate_summary",
    ),
    path("documents/<int:pk>/download/", views.download, name="download"),
]
