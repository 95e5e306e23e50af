"""`psea-desk` command line. Each instrument's commands module (desktop/registry.py) and the
workspace's, the exchange's and the window's have `register(subparsers)` and `COMMANDS`, the names it
adds; each subcommand sets `func(args) -> int` (the exit code). Command modules import their
implementations inside the commands, and only the parsers of the command given are built, so every
command pays only for its own libraries and parsers (`psea-desk --help` loads neither SQLCipher,
reportlab nor pyHanko; tests/desktop/test_cli_imports.py).

Exit codes: 0 success; 1 the checked thing is not intact / the operation failed for a stated reason;
2 usage error; 3 wrong passphrase or no passphrase; 4 workspace in use; 5 (verify) intact but not
from a trusted signer.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from types import ModuleType

import i18n
from desktop import __version__
from desktop.passphrase import NoPassphrase
from desktop.process import keep_plaintext_out_of_core_dumps
from i18n import _, argparse_i18n

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PASSPHRASE, EXIT_IN_USE = 0, 1, 2, 3, 4


def command_modules() -> list[ModuleType]:
    """Every module with `register(subparsers)`, in `--help` order: the workspace's commands, each
    instrument's (desktop/registry.py), the exchange's, the window's."""
    from desktop import launcher, registry, workspace_cli
    from desktop.exchange import cli as exchange_cli

    return [workspace_cli, *(instrument.commands for instrument in registry.INSTRUMENTS), exchange_cli, launcher]


def build_parser(modules: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="psea-desk",
        description=_("PSEA Desk: training rosters, SEA risk assessments, implementing-partner capacity "
                      "assessments and the annual management letter, kept in an encrypted workspace."),
    )
    parser.add_argument("--version", action="version", version=f"PSEA Desk {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--language", choices=i18n.LANGUAGE_CODES, default=None,
                        help=_("language of messages (default: from the environment)"))
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for module in command_modules() if modules is None else modules:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up (issue 14: "a command line that starts at once"): importing the commands and building the
    # parser make tens of thousands of objects that live until the process ends and no garbage, yet the
    # cyclic collector walks them all, again and again while they are made and once more at exit (8 ms
    # of a 175 ms `roster stats`). So when this process is the command (no argv given: `psea-desk`,
    # `python -m desktop`), collection waits until the command runs and never looks at them again.
    # A caller's process (tests calling main([...])) keeps its collector as it is.
    own_process = argv is None
    if own_process:
        gc.disable()
    argv = list(sys.argv[1:] if argv is None else argv)
    keep_plaintext_out_of_core_dumps()
    i18n.set_language(_language_from_argv(argv) or i18n.language_from_environment())
    argparse_i18n.install()
    # Start-up of the window is measured (design.md budget): `gui` registers only its own module, so
    # the instruments' command modules (and what they import: reportlab, pyHanko) are not loaded first.
    # Every other command builds only its own module's parsers (issue 14: 2-4 ms of ~90 subparsers); the
    # help of psea-desk itself, and a word that is no command, build them all.
    command = _command_of(argv)
    if _help_before_command(argv, command):
        parser = build_parser()
    elif command == "gui":
        from desktop import launcher

        parser = build_parser([launcher])
    else:
        parser = build_parser(_modules_of(command))
    args = parser.parse_args(argv)
    if own_process:
        gc.freeze()
        gc.enable()
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except NoPassphrase as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PASSPHRASE
    except Exception as exc:
        # storage is imported here, not at the top: `psea-desk gui` shows its first window before
        # loading SQLCipher (start-up budget in design.md).
        from storage import WorkspaceError, WorkspaceInUse, WrongPassphrase

        if isinstance(exc, WrongPassphrase):
            code = EXIT_PASSPHRASE
        elif isinstance(exc, WorkspaceInUse):
            code = EXIT_IN_USE
        elif isinstance(exc, WorkspaceError):
            code = EXIT_FAILED
        elif isinstance(exc, OSError):
            # A file the command was given could not be read or written (a full disk, a read-only
            # folder, a removed stick): said in words, never as a traceback.
            print(_("A file could not be read or written: {name} ({reason}). Nothing was half-written.").format(
                name=exc.filename or "?", reason=exc.strerror or type(exc).__name__), file=sys.stderr)
            return EXIT_FAILED
        elif isinstance(exc, MemoryError):
            print(_("The input is too large to handle on this computer; nothing was changed."), file=sys.stderr)
            return EXIT_FAILED
        else:
            raise
        print(str(exc), file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print(_("Interrupted; nothing was half-written."), file=sys.stderr)
        return 130


def _modules_of(command: str | None) -> list[ModuleType]:
    """The one module that registers `command` (its `COMMANDS`), or every module when none does."""
    modules = command_modules()
    own = [module for module in modules if command in module.COMMANDS]
    return own if len(own) == 1 else modules


def _help_before_command(argv: list[str], command: str | None) -> bool:
    """`psea-desk -h roster`: the help of psea-desk itself, which lists every command."""
    before = argv[:argv.index(command)] if command in argv else argv
    return any(arg in ("-h", "--help") for arg in before)


def _command_of(argv: list[str]) -> str | None:
    """The subcommand named in argv (the first word that is not an option or the --language value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--language":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _language_from_argv(argv: list[str]) -> str | None:
    """The messages' language, `psea-desk --language xx COMMAND ...`: only before the command, where
    `--language` belongs to psea-desk itself (after it, `letter sign --language` is the letter's)."""
    n = 0
    while n < len(argv):
        arg = argv[n]
        if arg == "--language":
            return argv[n + 1] if n + 1 < len(argv) and argv[n + 1] in i18n.LANGUAGE_CODES else None
        if arg.startswith("--language="):
            value = arg.split("=", 1)[1]
            return value if value in i18n.LANGUAGE_CODES else None
        if not arg.startswith("-"):
            return None  # the command: what follows is its own
        n += 1
    return None
