# Consultations (with agenda, questions, registrations) and key messages register their admin separately.
from . import admin_consultations, admin_key_messages  # noqa: F401
