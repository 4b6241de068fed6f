"""Admin for key messages (rapporteurs)."""
