"""SEA risk assessments: factor library, 5×5 matrix, assessments, mitigation measures, follow-up visits.

`model` holds the records and rules; `figures` the management-letter figures; `cli` the
`psea-desk risk ...` commands; `demo` the demo data; `report` the assessment report PDF.
"""
