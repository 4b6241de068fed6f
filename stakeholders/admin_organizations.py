"""Admin for organizations and their links to reviews and timeline events."""
