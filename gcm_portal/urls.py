from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reviews.views import home

from . import views

# Language-neutral URLs: machine-readable feeds and health checks.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("gcm_portal.api")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("reviews.urls")),
    path("", include("stakeholders.urls")),
    path("", include("consultations.urls")),
    path("", include("pledges.urls")),
    path("", include("reports.urls")),
    prefix_default_language=True,
)

handler404 = "gcm_portal.views.page_not_found"
