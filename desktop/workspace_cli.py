"""Workspace commands: new, demo, check, passwd, backups, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import i18n
from desktop.passphrase import ENV_NEW, obtain
from desktop.roles import ROLES
from i18n import _, ngettext
from i18n.formatting import datetime as format_datetime

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("new", "demo", "check", "passwd", "backups", "restore")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("new", help=_("create a new, empty workspace for an office, a regional coordinator "
                                             "or headquarters"))
    p.add_argument("path", type=Path, help=_("the workspace file to create"))
    p.add_argument("--office", required=True, metavar=_("CODE"), help=_("the office code, for example KEN-NBO"))
    p.add_argument("--entity", required=True, metavar=_("NAME"), help=_("the entity, for example UN-Habitat"))
    p.add_argument("--role", choices=ROLES, default="office",
                   help=_("office (a country office), region (a regional coordinator) or headquarters"))
    p.add_argument("--office-name", default="", metavar=_("NAME"), help=_("the office's name, for example Nairobi"))
    p.add_argument("--language", choices=i18n.LANGUAGE_CODES, default="en",
                   help=_("the workspace's default language for letters and reports"))
    p.set_defaults(func=cmd_new)

    p = subparsers.add_parser("demo", help=_("create a workspace full of realistic synthetic data"))
    p.add_argument("path", type=Path, help=_("the workspace file to create"))
    p.add_argument("--seed", type=int, default=2026, help=_("random seed (the same seed gives the same data)"))
    p.add_argument("--people", type=int, default=2000, help=_("number of personnel (of each office, for a "
                                                               "coordinator's or headquarters' demo)"))
    p.add_argument("--role", choices=ROLES, default="office",
                   help=_("office (one country office), region (a coordinator with several offices' bundles "
                          "merged) or headquarters (two regions relayed)"))
    p.set_defaults(func=cmd_demo)

    p = subparsers.add_parser("check", help=_("check that a workspace is intact (exit 0 only if it is)"))
    p.add_argument("path", type=Path)
    p.add_argument("--acknowledge", action="store_true",
                   help=_("confirm that you have seen the notice about changes found missing, so that it is not shown again"))
    p.set_defaults(func=cmd_check)

    p = subparsers.add_parser("passwd", help=_("change the passphrase of a workspace and its backups"))
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_passwd)

    p = subparsers.add_parser("backups", help=_("list the encrypted backups of a workspace"))
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_backups)

    p = subparsers.add_parser("restore", help=_("replace a workspace with one of its backups"))
    p.add_argument("path", type=Path)
    p.add_argument("backup", type=Path, nargs="?", help=_("the backup file (default: the newest)"))
    p.set_defaults(func=cmd_restore)


def cmd_new(args: argparse.Namespace) -> int:
    from desktop.roles import problem_with_new_workspace, role_label
    from storage import Workspace
    office, entity, name = args.office.strip(), args.entity.strip(), args.office_name.strip()
    problem = problem_with_new_workspace(office, entity, args.role, name)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    passphrase = obtain(_("Passphrase for the new workspace: "), ENV_NEW, confirm=True)
    with Workspace.create(args.path, passphrase, office=office, entity=entity, role=args.role,
                          office_name=name or None, language=args.language):
        pass
    print(_("Workspace created: {path} ({role} {office}, {entity}).").format(
        path=args.path, role=role_label(args.role), office=office, entity=entity))
    print(_("Keep the passphrase somewhere safe: nobody can open the workspace without it, and it cannot be "
            "recovered."))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop import demo
    from storage import WorkspaceExists
    if args.role != "office" and args.path.exists():
        raise WorkspaceExists(str(args.path))
    passphrase = obtain(_("Passphrase for the new workspace: "), confirm=True)
    if args.role == "office":
        ws = demo.create_demo_workspace(args.path, passphrase, seed=args.seed, people=args.people)
    else:
        ws = demo.create_chain_demo(args.path, passphrase, role=args.role, seed=args.seed, people=args.people,
                                    progress=lambda text: print(text, flush=True))
    try:
        print(_("Demo workspace created: {path}").format(path=args.path))
    finally:
        ws.close()
    return 0


def describe_problems(problems: list[str]) -> str:
    pages = [p for p in problems if "HMAC" in p or "hmac" in p]
    audit = [p for p in problems if p.startswith("audit") or "audit log" in p]
    other = [p for p in problems if p not in pages and p not in audit]
    lines = []
    if pages:
        lines.append(ngettext("{n} page of the file fails its integrity check: the file was altered or damaged on disk.",
                              "{n} pages of the file fail their integrity check: the file was altered or damaged on disk.",
                              len(pages)).format(n=len(pages)))
    if audit:
        lines.append(_("The audit log was altered: entries were changed, removed or added outside PSEA Desk."))
    if other:
        lines.append(_("The database structure is damaged."))
    return "\n".join(lines)


def cmd_check(args: argparse.Namespace) -> int:
    from desktop import journal_notice
    from storage import Workspace, WorkspaceDamaged
    passphrase = obtain(_("Passphrase: "))
    try:
        ws = Workspace.open(args.path, passphrase)
    except WorkspaceDamaged as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        problems = ws.integrity_problems()
        loss = ws.journal_loss
        if loss is not None and args.acknowledge:
            ws.acknowledge_journal_loss()
    finally:
        ws.close()
    if not problems and loss is not None:
        print(journal_notice.describe(loss), file=sys.stderr)
        if args.acknowledge:
            print(_("Acknowledged: this notice will not be shown again."))
            return 0
        print(journal_notice.advice(), file=sys.stderr)
        return 1
    if not problems:
        print(_("The workspace is intact: encryption, structure and audit log all check out."))
        return 0
    print(describe_problems(problems), file=sys.stderr)
    print(_("What to do: restore the most recent backup (psea-desk restore), and keep the damaged file for IT support."),
          file=sys.stderr)
    for problem in problems[:20]:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def cmd_passwd(args: argparse.Namespace) -> int:
    from storage import Workspace
    current = obtain(_("Current passphrase: "))
    new = obtain(_("New passphrase: "), ENV_NEW, confirm=True)
    with Workspace.open(args.path, current) as ws:
        ws.change_passphrase(current, new)
    print(_("The passphrase was changed. The backups now open with the new passphrase too."))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from storage.backup import list_backups
    found = list_backups(args.path)
    if not found:
        print(_("There are no backups of this workspace yet."))
        return 0
    for info in found:
        print(f"{format_datetime(info.taken_at)}  {info.reason:<28} {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from storage import WorkspaceError
    from storage.backup import list_backups
    from storage.workspace import restore_backup
    source = args.backup
    if source is None:
        found = list_backups(args.path)
        if not found:
            raise WorkspaceError(str(args.path), _("no backups"))
        source = found[0].path
    passphrase = obtain(_("Passphrase: "))
    kept = restore_backup(args.path, source, passphrase)
    print(_("Restored from {backup}. The file it replaced was kept as {kept}.").format(backup=source, kept=kept))
    return 0
