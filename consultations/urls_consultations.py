from django.urls import path, register_converter

from . import views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/my-registrations/", views.my_registrations, name="my_registrations"),
    path("consultations/registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel"),
    path("consultations/registrations/<int:pk>/calendar.ics", views.registration_calendar, name="calendar"),
    path("consultations/time-zone/", views.set_time_zone, name="time_zone"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="detail"),
    path("consultations/<slug:slug>/register/", views.register, name="register"),
    path("consultations/<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
    path("consultations/<slug:slug>/organizer/", views.organizer, name="organizer"),
    path("consultations/<slug:slug>/organizer/balance/", views.balance_proposal, name="balance"),
    path(
        "consultations/<slug:slug>/organizer/registrations/<int:pk>/",
        views.organizer_action,
        name="organizer_action",
    ),
    path(
        "consultations/<slug:slug>/organizer/participants.<export_format:fmt>",
        views.export_participants,
        name="export",
    ),
]
