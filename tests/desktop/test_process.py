"""Process-wide protections: a crash must not write decrypted memory to a core file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from storage import Workspace


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_CORE is POSIX")
def test_the_command_line_turns_core_dumps_off() -> None:
    # A child starts with core files allowed, runs the real entry point, then reports its limit.
    code = "\n".join([
        "import contextlib, io, resource",
        "hard = resource.getrlimit(resource.RLIMIT_CORE)[1]",
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))",
        "assert hard != 0, 'core files already forbidden by the parent: nothing to test'",
        "from desktop.cli import main",
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):",
        "    main(['--version'])",
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0])",
    ])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.stdout.strip().splitlines()[-1] == "0"


def test_sqlcipher_memory_locking_is_off_and_the_key_still_works(workspace: Workspace) -> None:
    """Decided in docs/security.md: off for speed; the workspace stays encrypted and keyed."""
    conn = workspace.connection
    assert conn.execute("PRAGMA cipher_memory_security").fetchone()[0] in ("0", 0)
    assert conn.execute("SELECT count(*) FROM office").fetchone()[0] == 1
