"""`psea-desk risk ...`: figures of SEA risk assessments, the factor library, the report PDF."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import i18n
from desktop.cli_args import json_flag, workspace_path, year_option
from desktop.passphrase import obtain
from i18n import _
from i18n.formatting import number

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("risk",)


def register(subparsers: argparse._SubParsersAction) -> None:
    risk = subparsers.add_parser("risk", help=_("SEA risk assessments: figures, factor library, reports"))
    sub = risk.add_subparsers(dest="risk_command", metavar=_("COMMAND"))
    risk.set_defaults(func=lambda args: (risk.print_help(), 2)[1])

    p = sub.add_parser("stats", help=_("figures of the risk assessments of a year"))
    workspace_path(p)
    year_option(p)
    json_flag(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("factors", help=_("list the risk factor library"))
    workspace_path(p)
    json_flag(p)
    p.set_defaults(func=cmd_factors)

    p = sub.add_parser("factor", help=_("add or edit a factor of the library (past assessments keep their text)"))
    workspace_path(p)
    p.add_argument("code", help=_("the factor's code, e.g. ctx_crisis"))
    p.add_argument("--category", default=None,
                   help=_("category: context, personnel, delivery, partners, community or response"))
    p.add_argument("--text", action="append", default=[], metavar="LL=TEXT",
                   help=_("the factor's text in a language, e.g. fr=...; repeat for each language"))
    p.add_argument("--retire", action="store_true", help=_("no longer offer the factor in new assessments"))
    p.add_argument("--restore", action="store_true", help=_("offer a retired factor again"))
    p.set_defaults(func=cmd_factor)

    p = sub.add_parser("report", help=_("write the risk assessment report PDF of an assessment"))
    workspace_path(p)
    p.add_argument("--assessment", default=None, help=_("assessment id (default: the latest)"))
    p.add_argument("--pdf-language", choices=i18n.LANGUAGE_CODES, default=None,
                   help=_("language of the report (default: the language of messages)"))
    p.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))
    p.set_defaults(func=cmd_report)


def cmd_stats(args: argparse.Namespace) -> int:
    from desktop.risk import figures
    from storage import Workspace
    year = args.year or dt.date.today().year
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        figs = figures.letter_figures(ws, year)
    if args.json:
        print(json.dumps(figs, ensure_ascii=False, sort_keys=True))
        return 0
    lines = [
        (_("Assessments in {year}").format(year=year), figs["assessments"]),
        (_("Operations assessed"), figs["operations_assessed"]),
        (_("Programmes assessed"), figs["programmes_assessed"]),
        (_("Sites assessed"), figs["sites_assessed"]),
        (_("Follow-up visits"), figs["follow_up_visits"]),
        (_("High risks open"), figs["high_risks_open"]),
        (_("Measures open"), figs["measures_open"]),
        (_("Measures overdue"), figs["measures_overdue"]),
    ]
    for label, value in lines:
        print(f"{label}: {number(value)}")
    return 0


def cmd_factors(args: argparse.Namespace) -> int:
    from desktop.risk.factors import category_label, library
    from storage import Workspace
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        factors = library(ws, include_retired=True)
    if args.json:
        print(json.dumps([{"code": f.code, "category": f.category, "retired": f.retired, "texts": dict(f.texts)}
                          for f in factors], ensure_ascii=False))
        return 0
    for f in factors:
        flag = _(" (retired)") if f.retired else ""
        print(f"{f.code:<18} {category_label(f.category)}: {f.text()}{flag}")
    return 0


def cmd_factor(args: argparse.Namespace) -> int:
    from desktop.risk.factors import library, save_factor
    from desktop.risk.model import RiskError
    from storage import Workspace
    texts = {}
    for item in args.text:
        code, sep, text = item.partition("=")
        if not sep or code not in i18n.LANGUAGE_CODES:
            print(_("Give each text as LL=TEXT with LL one of: {codes}.").format(codes=", ".join(i18n.LANGUAGE_CODES)),
                  file=sys.stderr)
            return 2
        texts[code] = text
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        existing = {f.code: f for f in library(ws, include_retired=True)}.get(args.code)
        category = args.category or (existing.category if existing else None)
        if category is None:
            print(_("A new factor needs --category."), file=sys.stderr)
            return 2
        retired = existing.retired if existing else False
        retired = True if args.retire else (False if args.restore else retired)
        try:
            factor = save_factor(ws, args.code, category, texts, retired=retired)
        except RiskError as exc:
            print(str(exc), file=sys.stderr)
            return 1
    print(_("Factor {code} saved: {text}").format(code=factor.code, text=factor.text()))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from desktop.risk import report
    from desktop.risk.assessments import assessments
    from storage import Workspace

    code = args.pdf_language or i18n.current_language()
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        found = assessments(ws)
        if args.assessment:
            found = [a for a in found if a["id"] == args.assessment]
        if not found:
            print(_("There is no such risk assessment in this workspace."), file=sys.stderr)
            return 1
        report.write_report(ws, found[0]["id"], args.out, code)
    print(_("Report written: {path}").format(path=args.out))
    return 0
