from django.urls import path

from . import views_key_messages as views

urlpatterns: list = [
    path("consultations/<slug:slug>/key-messages/", views.key_message_list, name="key_messages"),
    path("consultations/<slug:slug>/key-messages/<int:pk>/", views.key_message_edit, name="key_message_edit"),
    path(
        "consultations/<slug:slug>/key-messages/<int:pk>/status/",
        views.key_message_status,
        name="key_message_status",
    ),
]
