from django.urls import path  # noqa: F401  (filled as the app gains pages)

app_name = "stakeholders"

urlpatterns: list = []
