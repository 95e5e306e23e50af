"""`psea-desk gui [PATH] [--demo-if-missing]`: start the window.

The one module of `desktop` that starts Qt. Start-up is kept lean: only QtWidgets and the first
window are imported before that window is painted; the main window, the instrument pages and
demo creation are imported when needed.

PSEA_DESK_EXIT_WHEN_SHOWN=1 prints `shown <time.perf_counter()>` once the first window has been
painted and quits with 0 (the start-up benchmark uses it).

PSEA_DESK_EXIT_WHEN_SHOWN=main (with PATH and the passphrase in PSEA_DESK_PASSPHRASE) unlocks, and
once the main window's first page is painted with its data prints `main <seconds from unlock>` and
`stall <longest stall of the window's thread in ms meanwhile>`, then quits with 0 (checking the
"main window ready" budget from outside; bench/bench_responsiveness.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from i18n import _

DEMO_PASSPHRASE = "demo passphrase 2026"
DEMO_FILE = "demo.pdesk"
ENV_EXIT_WHEN_SHOWN = "PSEA_DESK_EXIT_WHEN_SHOWN"

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("gui",)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help=_("start the window"))
    p.add_argument("path", type=Path, nargs="?", help=_("a workspace file to unlock"))
    p.add_argument("--demo-if-missing", action="store_true",
                   help=_("create and offer a demo workspace when there is no recent workspace"))
    p.set_defaults(func=cmd_gui)


DEMO_FILES = {"office": DEMO_FILE, "region": "demo-region.pdesk", "headquarters": "demo-headquarters.pdesk"}


def demo_path(role: str = "office") -> Path:
    from desktop.settings import data_dir

    return data_dir() / DEMO_FILES[role]


def is_demo(path: Path) -> bool:
    resolved = Path(path).resolve()
    return any(resolved == demo_path(role).resolve() for role in DEMO_FILES)


def demo_passphrase() -> str:
    """The demo's own passphrase, shown on screen by design. Never PSEA_DESK_PASSPHRASE: that one
    holds a real workspace's passphrase for the command line, and must not be printed or displayed."""
    return os.environ.get("PSEA_DESK_DEMO_PASSPHRASE") or DEMO_PASSPHRASE


def ensure_demo(path: Path, passphrase: str, role: str = "office") -> bool:
    """Create the demo workspace at `path` unless it exists; True when it was created now. A
    coordinator's or headquarters' demo is built from demo offices' real bundles (desktop.demo)."""
    if path.exists():
        return False
    from desktop.demo import create_chain_demo, create_demo_workspace

    if role == "office":
        ws = create_demo_workspace(path, passphrase)
    else:
        ws = create_chain_demo(path, passphrase, role=role)
    ws.close()
    return True


def demo_note(passphrase: str):
    """The unlock prompt's note for the demo workspace, in the current language."""
    # The passphrase on a line of its own: inside an Arabic sentence the bidi algorithm would wrap it oddly.
    return lambda: _("This is the demo workspace, filled with invented data. Its passphrase is:") + "\n" + passphrase


def choose_first_window(args: argparse.Namespace, settings) -> tuple[str, Path | None, str]:
    """('unlock', path, demo passphrase or '') or ('start', None, '')."""
    if args.path is not None:
        return "unlock", args.path, ""
    recent = settings.existing_recent()
    demo = demo_path()
    if args.demo_if_missing and not recent:
        passphrase = demo_passphrase()
        if ensure_demo(demo, passphrase):
            print(_("Demo workspace created: {path}").format(path=demo))
        print(_("Demo workspace: {path}").format(path=demo))
        print(_("Its passphrase: {passphrase}").format(passphrase=passphrase))
        print(_("A regional coordinator's and a headquarters' demo are offered in the start window "
                "(or: psea-desk demo PATH --role region|headquarters)."))
        return "unlock", demo, passphrase
    if recent:
        passphrase = demo_passphrase() if is_demo(recent[0]) else ""
        return "unlock", recent[0], passphrase
    return "start", None, ""


def _unlock_until_main(app, shell, prompt) -> None:  # noqa: ANN001 - Qt objects
    """PSEA_DESK_EXIT_WHEN_SHOWN=main (module docstring): unlock with PSEA_DESK_PASSPHRASE, measure."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from ui.probe import StallProbe

    probe = StallProbe(app)
    started = time.perf_counter()

    class MainPainted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, done)
            return False

    def done() -> None:
        seconds = time.perf_counter() - started
        print(f"main {seconds:.3f}", flush=True)
        print(f"stall {probe.stop():.0f}", flush=True)
        app.quit()

    watcher = MainPainted(app)

    def opened(_session) -> None:  # noqa: ANN001
        shell.main_window.installEventFilter(watcher)

    prompt.unlocked.connect(opened)
    probe.start()
    prompt.passphrase.setText(os.environ.get("PSEA_DESK_PASSPHRASE", ""))
    if not prompt.try_unlock():
        print("stall -1", flush=True)
        app.exit(1)


def cmd_gui(args: argparse.Namespace) -> int:
    import i18n
    from desktop.settings import Settings

    settings = Settings.load()
    if getattr(args, "language", None) is None and settings.language in i18n.LANGUAGE_CODES \
            and not os.environ.get("PSEA_DESK_LANGUAGE"):
        i18n.set_language(settings.language)
    kind, path, passphrase = choose_first_window(args, settings)

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from i18n import qt as qt_i18n

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("PSEA Desk")
    app.setOrganizationName("PSEA Desk")
    # Arabic and Chinese need their fonts before the first paint; for the other languages the fonts
    # (for names in those scripts) are registered right after the first window is shown.
    fonts_first = i18n.current_language() in ("ar", "zh")
    if fonts_first:
        qt_i18n.load_fonts()
        qt_i18n.apply_fallback_fonts(app)
    qt_i18n.apply_language(i18n.current_language(), app)

    from ui.shell import Shell

    shell = Shell(settings)
    if kind == "unlock" and path is not None:
        window = shell.show_unlock(path, demo_note(passphrase) if passphrase else "")
    else:
        window = shell.show_start()

    exit_when_shown = os.environ.get(ENV_EXIT_WHEN_SHOWN) == "1"
    until_main = os.environ.get(ENV_EXIT_WHEN_SHOWN) == "main" and kind == "unlock"

    def after_first_paint() -> None:
        if exit_when_shown:
            print(f"shown {time.perf_counter()}", flush=True)
            app.quit()
            return
        if not fonts_first:
            qt_i18n.load_fonts()
            qt_i18n.apply_fallback_fonts(app)
        if until_main:
            _unlock_until_main(app, shell, window)

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint and watched is window:
                watched.removeEventFilter(self)
                # Runs once this paint is finished and flushed to the screen.
                QTimer.singleShot(0, after_first_paint)
            return False

    first_paint = FirstPaint(app)
    window.installEventFilter(first_paint)
    app.aboutToQuit.connect(shell.shutdown)
    code = app.exec()
    return int(code)
