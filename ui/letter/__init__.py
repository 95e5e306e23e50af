"""The management-letter page."""
