"""Reading a spreadsheet someone gives PSEA Desk (CSV or XLSX), shared by every importer.

The roster (`desktop.roster.importer`), the partner register (`desktop.partners.importing`) and the
year's allegation counts (`desktop.letter.allegation_import`) import files the same way, in the same
window wizard (`ui/import_wizard.py`) and with the same command-line report:

- `reading`: the bytes: size limits, CSV encodings and delimiters, XLSX (refusing a zip bomb);
- `dates`: dates as exports write them, and the day/month order decided once for a file;
- `words`: folding and cleaning text, the words of a data file that name columns and values;
- `columns`: which column holds which field, guessed from headers in the six languages;
- `analysis`: step 1, read the file once (headers, mapping, row count, preview, date order);
- `rows`: the data rows of step 2, with their spreadsheet row numbers, progress and cancel;
- `problems`: what stops an import (the file as a whole, or a row with its number);
- `steps`: what an importer offers the wizard and the command line.

Nothing here knows about people, partners or allegations.
"""
