"""The roster importer's parts, one module per step of an import (see `desktop.roster.importer`).

Callers import `desktop.roster.importer`, the public face; these modules are how it is built:
`reading` (files as streams), `dates`, `mapping` (columns to fields), `analysis` (step 1),
`plan`, `courses` and `rows` (what step 2 checks), `checks` (step 2), `commit` (step 3), `result`
(what an import reports), `synonyms` (the words of `data/headers.json`) and `problems` (what every
step raises).
Nothing is imported here, so that loading one part does not load the others.
"""
