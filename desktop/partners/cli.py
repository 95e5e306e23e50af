"""`psea-desk partners ...`: figures of implementing-partner capacity assessments, the list, the report PDF,
the import of partners and agreements from a spreadsheet."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import i18n
from desktop.cli_args import json_flag, workspace_path, year_option
from desktop.passphrase import obtain
from desktop.private_files import write_private
from desktop.spreadsheet.cli import import_options
from i18n import _
from i18n.formatting import number

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("partners",)


def register(subparsers: argparse._SubParsersAction) -> None:
    partners = subparsers.add_parser(
        "partners", help=_("implementing-partner PSEA capacity assessments: figures, list, reports"))
    sub = partners.add_subparsers(dest="partners_command", metavar=_("COMMAND"))
    partners.set_defaults(func=lambda args: (partners.print_help(), 2)[1])

    p = sub.add_parser("stats", help=_("figures of the implementing partners for a year"))
    workspace_path(p)
    year_option(p)
    json_flag(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("list", help=_("list the implementing partners with their rating and validity"))
    workspace_path(p)
    json_flag(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("import", help=_("import partners and their agreements from a CSV or XLSX file, all or nothing"))
    workspace_path(p)
    import_options(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("rulesets", help=_("list the rule sets an assessment can be started with"))
    workspace_path(p)
    json_flag(p)
    p.set_defaults(func=cmd_rulesets)

    p = sub.add_parser("ruleset-export", help=_("write a rule set as a JSON file, to edit it"))
    workspace_path(p)
    p.add_argument("key", help=_("the key of the rule set"))
    p.add_argument("--out", type=Path, required=True, help=_("the JSON file to write"))
    p.set_defaults(func=cmd_ruleset_export)

    p = sub.add_parser("ruleset-import", help=_("add a rule set, or a new version of one, from a JSON file"))
    workspace_path(p)
    p.add_argument("file", type=Path, help=_("the JSON file of the rule set"))
    p.set_defaults(func=cmd_ruleset_import)

    p = sub.add_parser("report", help=_("write the capacity assessment report PDF of a partner"))
    workspace_path(p)
    p.add_argument("--assessment", required=True, help=_("assessment id"))
    p.add_argument("--pdf-language", choices=i18n.LANGUAGE_CODES, default=None,
                   help=_("language of the report (default: the language of messages)"))
    p.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    p.set_defaults(func=cmd_report)


def cmd_stats(args: argparse.Namespace) -> int:
    from desktop.partners import figures
    from storage import Workspace
    year = args.year or dt.date.today().year
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        figs = figures.letter_figures(ws, year)
    if args.json:
        print(json.dumps(figs, ensure_ascii=False, sort_keys=True))
        return 0
    from desktop.partners.labels import result_label_for_key

    lines = [
        (_("Implementing partners"), figs["partners"]),
        (_("With a valid capacity assessment"), figs["assessed_valid"]),
        (_("Assessed in {year}").format(year=year), figs["assessed_in_year"]),
        (_("Assessments expiring"), figs["expiring"]),
        (_("Assessments expired"), figs["expired"]),
        (_("Partners with a capacity-strengthening plan open"), figs["plans_open"]),
        (_("Partners with overdue action points"), figs["plans_overdue"]),
        (_("Partners given capacity strengthening in {year}").format(year=year), figs["capacity_strengthening_provided"]),
        (_("Partners marked for re-assessment"), figs["needs_review"]),
    ]
    for label, value in lines:
        print(f"{label}: {number(value)}")
    for key, count in figs["by_rating"].items():
        print(f"  {result_label_for_key(key)}: {number(count)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.partners import importing
    from desktop.spreadsheet.cli import report
    from storage import Workspace

    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        result = importing.import_file(ws, args.file, date_order=args.date_order, dry_run=args.dry_run)
    return report(result, as_json=args.json)


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.partners import figures
    from desktop.partners.assessments import VALIDITY_STATES
    from desktop.partners.labels import status_rating_label
    from storage import Workspace

    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        rows = figures.statuses(ws, dt.date.today())
    if args.json:
        print(json.dumps([{"id": r.partner["id"], "name": r.partner["name"], "rating": r.band,
                           "validity": r.validity, "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                           "actions_open": r.actions_open, "actions_overdue": r.actions_overdue,
                           "needs_review": r.needs_review} for r in rows], ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r.partner['name']}\t{status_rating_label(r)}\t{_(VALIDITY_STATES[r.validity])}\t"
              f"{number(r.actions_overdue)}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.partners import report
    from desktop.partners.model import PartnerError
    from storage import Workspace

    code = args.pdf_language or i18n.current_language()
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        try:
            data = report.render(ws, args.assessment, code)
        except PartnerError as exc:
            print(str(exc), file=sys.stderr)
            return 1
    write_private(args.out, data)
    print(_("Report written: {path}").format(path=args.out))
    return 0


def cmd_rulesets(args: argparse.Namespace) -> int:
    from desktop.partners import rulesets
    from storage import Workspace

    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        sets = rulesets.available(ws)
    if args.json:
        print(json.dumps([{"key": k, "version": rs["version"], "title": rs["title"], "standards": len(rs["standards"])}
                          for k, rs in sets.items()], ensure_ascii=False))
        return 0
    for key, rs in sets.items():
        print(_("{key} (version {version}): {title}").format(key=key, version=number(rs["version"]),
                                                             title=rulesets.text(rs["title"])))
    return 0


def cmd_ruleset_export(args: argparse.Namespace) -> int:
    from desktop.partners import rulesets
    from desktop.partners.model import PartnerError
    from storage import Workspace

    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        try:
            rs = rulesets.current(ws, args.key)
        except PartnerError as exc:
            print(str(exc), file=sys.stderr)
            return 1
    args.out.write_text(json.dumps(rs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(_("Rule set written: {path}").format(path=args.out))
    return 0


def cmd_ruleset_import(args: argparse.Namespace) -> int:
    from desktop.partners import rulesets
    from desktop.partners.model import PartnerError
    from storage import Workspace

    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        print(_("{path} is not a JSON rule set; nothing was changed.").format(path=args.file), file=sys.stderr)
        return 1
    if not isinstance(data, dict):
        print(_("{path} is not a JSON rule set; nothing was changed.").format(path=args.file), file=sys.stderr)
        return 1
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        try:
            saved = rulesets.save(ws, data)
        except (PartnerError, KeyError, TypeError, ValueError) as exc:
            message = str(exc) if isinstance(exc, PartnerError) else _("{path} is not a JSON rule set; nothing was changed.").format(path=args.file)
            print(message, file=sys.stderr)
            return 1
    print(_("Rule set {key} saved as version {version}. Assessments already started keep the version they were "
            "made with.").format(key=saved["key"], version=number(saved["version"])))
    return 0
