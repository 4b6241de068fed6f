from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("pledges/", views.dashboard, name="dashboard"),
    path("pledges/list/", views.pledge_list, name="list"),
    path("pledges/export.csv", views.export_csv, name="export_csv"),
    path("pledges/export.json", views.export_json, name="export_json"),
    path("pledges/new/", views.pledge_create, name="create"),
    path("pledges/mine/", views.my_submissions, name="mine"),
    path("pledges/<int:pk>/", views.pledge_detail, name="detail"),
    path("pledges/<int:pk>/edit/<slug:step>/", views.pledge_edit, name="edit"),
    path("pledges/<int:pk>/submit/", views.pledge_submit, name="submit"),
    path("pledges/<int:pk>/progress/", views.pledge_progress, name="progress"),
    path("pledges/<int:pk>/document/", views.pledge_document, name="document"),
    path("reviews/<slug:slug>/inputs/", views.review_inputs, name="review_inputs"),
    path("reviews/<slug:slug>/inputs/new/", views.input_create, name="input_create"),
    path("inputs/<int:pk>/edit/", views.input_edit, name="input_edit"),
    path("inputs/<int:pk>/document/", views.input_document, name="input_document"),
]
