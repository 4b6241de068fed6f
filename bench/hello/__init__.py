"""The smallest Django site: the baseline the portal's pages are measured against."""
