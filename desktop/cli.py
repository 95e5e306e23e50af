"""`psea-desk` command line. Each instrument's commands module (desktop/registry.py) and the
workspace's, the exchange's and the window's have `register(subparsers)`; each subcommand sets
`func(args) -> int` (the exit code). Command modules import their implementations inside the commands,
so every command pays only for its own libraries (`psea-desk --help` loads neither SQLCipher,
reportlab nor pyHanko).

Exit codes: 0 success; 1 the checked thing is not intact / the operation failed for a stated reason;
2 usage error; 3 wrong passphrase or no passphrase; 4 workspace in use; 5 (verify) intact but not
from a trusted signer.
"""

from __future__ import annotations

import argparse
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
    argv = list(sys.argv[1:] if argv is None else argv)
    keep_plaintext_out_of_core_dumps()
    i18n.set_language(_language_from_argv(argv) or i18n.language_from_environment())
    argparse_i18n.install()
    # Start-up of the window is measured (design.md budget): `gui` registers only its own module, so
    # the instruments' command modules (and what they import: reportlab, pyHanko) are not loaded first.
    if _command_of(argv) == "gui":
        from desktop import launcher

        parser = build_parser([launcher])
    else:
        parser = build_parser()
    args = parser.parse_args(argv)
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
