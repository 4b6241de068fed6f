"""Admin for consultations, their agenda and guiding questions, and registrations."""
