"""Saving the assessment report PDF where the user chooses (an export the user asks for)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.private_files import write_private
from i18n import _, current_language


def save_report(parent: QWidget, ws, assessment_id: str, path: Path | None = None) -> Path | None:  # noqa: ANN001
    from desktop.partners import report  # reportlab: loaded when a report is first written

    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(parent, _("Save the assessment report"),
                                                      _("capacity-assessment.pdf"), _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
    data = report.render(ws, assessment_id, current_language())
    write_private(path, data)
    return path
