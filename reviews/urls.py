from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("objectives/<int:number>/", views.objective_detail, name="objective"),
]
