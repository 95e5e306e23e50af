"""SEA risk assessments: factor library, 5×5 matrix, assessments, mitigation measures, follow-up visits.

`model` holds the records, vocabularies and shared rules; around it `scoring` (the matrix), `factors`
(the library), `measures`, `ratings` (current ratings), `assessments`, `followup` (visits and trends)
and `overview` (register, open measures); `usecases` what the forms save; `figures` the
management-letter figures; `cli` the `psea-desk risk ...` commands; `demo` the demo data; `report`
the assessment report PDF.
"""
