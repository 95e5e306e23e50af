"""Process-wide protections set once, before a workspace is opened.

SQLCipher always locks and wipes its own key material. Its "enhanced memory security"
(`cipher_memory_security`, off by default since SQLCipher 4.5) would also mlock and wipe every
allocation SQLite makes; we leave it off (see docs/security.md): it spent about half of the CPU of
every bulk write in mlock/munlock system calls, and it cannot cover the plaintext that Python, Qt and
reportlab hold in ordinary memory anyway. What we do instead is keep plaintext out of crash dumps.
"""

from __future__ import annotations

import contextlib
import functools
import os


def keep_plaintext_out_of_core_dumps() -> None:
    """No core file: a crash would otherwise write the process memory (decrypted records, the page
    cache) to disk unencrypted. POSIX only; Windows error reporting is configured by the installer's
    policy, not by the process."""
    if os.name != "posix":  # pragma: no cover - exercised on Windows builds only
        return
    import resource

    # The soft limit is what the kernel obeys; the hard one is left alone so that a test run calling
    # this in-process does not take the choice away from the processes it starts.
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))


def release_free_memory() -> None:
    """Hand the memory the C allocator holds free back to the system (glibc's malloc_trim).

    After a large merge, memory freed by SQLite's page cache and by the bundles' decoded rows stays in
    glibc's heap, fragmented, and the resident set grows run after run with the workspace (≈ 30 bytes
    per record merged) although nothing is kept: Python's traced objects and the trimmed resident set
    stay flat (docs/benchmarks.md). Elsewhere (macOS, Windows, musl) there is nothing to do."""
    trim = _malloc_trim()
    if trim is not None:
        with contextlib.suppress(OSError):
            trim(0)


@functools.cache
def _malloc_trim():  # noqa: ANN202 - a ctypes function or None
    """glibc's malloc_trim, looked up once (finding the C library may run ldconfig)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c") if os.name == "posix" else None
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
