"""The risk instrument's page, heat map and forms."""
