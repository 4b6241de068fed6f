from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/my-data/", views.download_my_data, name="my_data"),
    path("profile/delete/", views.delete_account, name="delete_account"),
]
