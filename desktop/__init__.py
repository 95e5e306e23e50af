"""The application core, headless: each instrument's records and rules, imports, letters, PDFs,
signatures, the command line and the launcher. Anything a user can do in the window can be done
through this package without a window."""

__version__ = "0.1.0"
