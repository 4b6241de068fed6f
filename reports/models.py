"""Outcome documents, summary reports and their rendered PDFs. Depends on every other app."""
