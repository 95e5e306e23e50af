"""Reading bundles ahead of the merge's writes, in a helper process when the run is large.

Reading a bundle (decrypting it, checking every row: reader.py) is Python work. In a thread of the
same process it competes with the writes for the interpreter lock: every SQLite step gives the lock up
and then waits to get it back, so the writes crawl while a bundle is read and little is gained (40
bundles of 200,000 records: 5.7 s with a reader thread, 3.7 s with a helper process). The helper
process reads while the workspace is written; what it sends back (checked rows, pickled) costs a few
ms per bundle to unpickle. Starting it costs a few tenths of a second, so a run of one or two small
bundles reads in a thread, as does any run where no process can be started; the thread also takes over
should the process die.

The helper is this same program started again (`python -m desktop.exchange.readahead`, or the frozen
executable with PSEA_DESK_HELPER=bundle-reader: packaging/entry.py), not `multiprocessing`, which
would import the caller's main script again in the child. It gets, through a pipe, the bundle files'
paths and what opens them (the passphrase, the workspace's X25519 key): nothing is written to disk,
and it never opens the workspace.
"""

from __future__ import annotations

import importlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

AHEAD = 2                          # bundles read ahead of the one being written
PROCESS_FROM_BUNDLES = 3
PROCESS_FROM_BYTES = 4 * 1024 * 1024
HELPER_ENV = "PSEA_DESK_HELPER"
HELPER_NAME = "bundle-reader"
_LENGTH = struct.Struct("<Q")


class HelperGone(Exception):
    """The helper process ended or its pipe broke: the reading goes on in a thread."""


def _function(name: str) -> Callable[..., Any]:
    module, _sep, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def _send(stream: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    size = _LENGTH.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own helper process, started by us, speaks on this pipe


class _Helper:
    """The helper process, asked one bundle at a time (by the one thread of ReadAhead's executor)."""

    def __init__(self, function: str) -> None:
        env = dict(os.environ)
        if getattr(sys, "frozen", False):
            command = [sys.executable]
            env[HELPER_ENV] = HELPER_NAME
        else:
            command = [sys.executable, "-m", "desktop.exchange.readahead"]
            env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)  # noqa: S603
        _widen(self.proc.stdout)
        self.function = function

    def read(self, path: Path, args: tuple) -> Any:
        try:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            _send(self.proc.stdin, (self.function, path, args))
            status, value = _receive(self.proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise HelperGone from exc
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def _widen(stream: BinaryIO | None) -> None:
    """A pipe that holds a whole bundle's reply (Linux: up to 1 MB without privileges): the helper writes
    it in one go and goes on, and this side reads it in a few calls, each of which needs the interpreter
    lock the writes keep taking."""
    setpipe = getattr(__import__("fcntl") if sys.platform.startswith("linux") else None, "F_SETPIPE_SZ", None)
    if stream is None or setpipe is None:
        return
    import fcntl
    try:
        fcntl.fcntl(stream.fileno(), setpipe, 1024 * 1024)
    except OSError:
        pass


def _use_process(paths: Sequence[Path]) -> bool:
    if len(paths) < PROCESS_FROM_BUNDLES:
        return False
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue   # reported by the reading itself
    return total >= PROCESS_FROM_BYTES


class ReadAhead:
    """`result(n)` is `function(paths[n], *args)`, computed ahead (at most AHEAD bundles in memory);
    raises what the function raised. `function` is named "module:attribute" (the helper imports it)."""

    def __init__(self, paths: Sequence[Path], function: str, args: tuple) -> None:
        self.paths, self.function, self.args = list(paths), function, args
        self._read = _function(function)
        self._helper: _Helper | None = None
        if _use_process(self.paths):
            try:
                self._helper = _Helper(function)
            except OSError:
                self._helper = None   # no processes here (a locked-down machine): read in a thread
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-reader")
        self._futures: dict[int, Future] = {}
        for n in range(min(AHEAD, len(self.paths))):
            self._submit(n)

    def _submit(self, n: int) -> None:
        self._futures[n] = self._pool.submit(self._one, self.paths[n])

    def _one(self, path: Path) -> Any:
        helper = self._helper
        if helper is not None:
            try:
                return helper.read(path, self.args)
            except HelperGone:
                self._helper = None     # killed, out of memory: this bundle and the rest in this thread
                helper.close()
        return self._read(path, *self.args)

    def result(self, n: int) -> Any:
        future = self._futures.pop(n)
        if n + AHEAD < len(self.paths):
            self._submit(n + AHEAD)
        return future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._helper is not None:
            self._helper.close()
            self._helper = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The helper's loop: one request (function, path, args) at a time, until the pipe closes."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    sys.stdout = sys.stderr     # nothing printed by accident may corrupt the pipe
    functions: dict[str, Callable[..., Any]] = {}
    while True:
        try:
            name, path, args = _receive(stdin)
        except EOFError:
            return
        try:
            function = functions.get(name) or functions.setdefault(name, _function(name))
            reply: tuple[str, Any] = ("ok", function(path, *args))
        except Exception as exc:  # noqa: BLE001 - every error goes back to the caller, who raises it
            reply = ("error", exc)
        try:
            _send(stdout, reply)
        except (pickle.PicklingError, TypeError, AttributeError):
            _send(stdout, ("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


if __name__ == "__main__":
    serve()
