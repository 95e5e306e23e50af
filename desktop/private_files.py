"""Files the user exports (CSV, XLSX, PDF reports, saved letters and attachments): written completely
or not at all, readable by their owner only, and never spooled through a temporary folder.

The workspace is encrypted; an export is the user's decision to take data out of it, so it is written
only where the user asked, under a `.partial` name beside it until it is complete (a crash or a full
disk leaves no half file under the real name, and the `.partial` is removed), with mode 0600 from the
first byte (review finding: exports were 0644, and openpyxl spooled names to the temp folder).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def private_file(path: str | Path, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open `path` for writing as described in the module docstring; it appears when the block ends
    without error. `mode` and `kwargs` as for `open` ("wb", or "w" with an encoding)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_private(path: str | Path, data: bytes) -> None:
    with private_file(path) as fh:
        fh.write(data)


def write_private_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    with private_file(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
