"""Admin for stakeholder profiles."""
