"""Pledges and written inputs (see issue: pledges). Depends on reviews and stakeholders."""
