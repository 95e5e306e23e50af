"""Qt widgets, item models, dialogs, charts and the main window. No SQL, no file formats: everything
goes through `desktop`."""
