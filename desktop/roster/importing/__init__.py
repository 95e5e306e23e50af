"""The roster importer's parts, one module per step of an import (see `desktop.roster.importer`).

Callers import `desktop.roster.importer`, the public face; these modules are how it is built:
`mapping` (the roster's columns), `analysis` (step 1), `plan`, `courses` and `rows` (what step 2
checks), `checks` (step 2), `commit` (step 3), `result` (what an import reports) and `synonyms` (the
words of `data/headers.json`). What every importer shares (reading files and their encodings, dates,
guessing columns from headers, the data rows, what stops an import) is in `desktop.spreadsheet`.
Nothing is imported here, so that loading one part does not load the others.
"""
