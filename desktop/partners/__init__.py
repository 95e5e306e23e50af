"""Implementing partners and their PSEA capacity assessments (docs/partners.md).

Importing the package registers the record kinds, so that merges and bundles know the tables.
"""

from desktop.partners import model as model  # noqa: F401 - registers the RecordKinds
