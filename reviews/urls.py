from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("objectives/<int:number>/", views.objective_detail, name="objective"),
    path("reviews/", views.review_list, name="list"),
    path("reviews/<slug:slug>/", views.review_detail, name="detail"),
    path("reviews/<slug:slug>/timeline.ics", views.timeline_ics, name="timeline_ics"),
    path("reviews/<slug:slug>/timeline.json", views.timeline_json, name="timeline_json"),
    path("reviews/<slug:slug>/coverage/", views.review_coverage, name="coverage"),
    path("reviews/<slug:slug>/coverage.csv", views.review_coverage_csv, name="coverage_csv"),
]
