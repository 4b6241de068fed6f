# Two areas of this app register their admin separately: organizations (with the review and event links)
# and stakeholder profiles.
from . import admin_organizations, admin_profiles  # noqa: F401
