"""`psea-desk roster import|stats`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from desktop.cli_args import workspace_path
from desktop.passphrase import obtain
from desktop.roster.model import COURSE_KIND_CODES
from desktop.spreadsheet.cli import import_options, report
from i18n import _, current_language
from i18n.formatting import number, percent

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("roster",)


def register(subparsers: argparse._SubParsersAction) -> None:
    roster = subparsers.add_parser("roster", help=_("training roster: import personnel and completions, figures"))
    sub = roster.add_subparsers(dest="roster_command", metavar=_("COMMAND"))

    p = sub.add_parser("import", help=_("import a CSV or XLSX export of personnel and training completions"))
    workspace_path(p)
    import_options(p)
    p.add_argument("--course-kind", action="append", default=[], type=_title_kind, metavar=_("TITLE=KIND"),
                   help=_("the kind of a course of the file that is not recognised (repeatable); KIND is one of "
                          "{kinds}; others are imported as not yet classified").format(kinds=", ".join(COURSE_KIND_CODES)))
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("courses", help=_("list the courses with their kind and completions, or classify one"))
    workspace_path(p)
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("--set-kind", action="append", default=[], type=_title_kind, metavar=_("TITLE=KIND"),
                   help=_("classify the course with this title (or id) for this office (repeatable)"))
    p.set_defaults(func=cmd_courses)

    p = sub.add_parser("list", help=_("list the people of the roster with their status"))
    workspace_path(p)
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.add_argument("--filter", default="", metavar=_("TEXT"),
                   help=_("only people whose name, index number, e-mail, unit or office contains this text"))
    p.add_argument("--as-of", type=_iso_date, default=None, help=_("the date of the status (YYYY-MM-DD; default today)"))
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("stats", help=_("training completion figures on a date"))
    workspace_path(p)
    p.add_argument("--as-of", type=_iso_date, default=None, help=_("the date of the figures (YYYY-MM-DD; default today)"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    p.set_defaults(func=cmd_stats)
    roster.set_defaults(func=lambda args: (roster.print_help(), 2)[1])


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date in the form YYYY-MM-DD: {value}").format(value=text)) from None


def _title_kind(text: str) -> tuple[str, str]:
    from desktop.roster.model import parse_kind
    title, sep, kind_text = text.rpartition("=")
    kind = parse_kind(kind_text) if sep else None
    if not title.strip() or kind is None:
        raise argparse.ArgumentTypeError(_("give TITLE=KIND, where KIND is one of {kinds}: {value}").format(
            kinds=", ".join(COURSE_KIND_CODES), value=text))
    return title.strip(), kind


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.roster import importer
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    with Workspace.open(args.path, passphrase) as ws:
        result = importer.import_file(ws, args.file, date_order=args.date_order, dry_run=args.dry_run,
                                      course_kinds=dict(args.course_kind))
    return report(result, as_json=args.json)


def cmd_stats(args: argparse.Namespace) -> int:
    from desktop.roster import figures
    from desktop.roster.figures import NotCounted
    from desktop.roster.model import CATEGORIES, category_label
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    as_of = args.as_of or dt.date.today()
    with Workspace.open(args.path, passphrase) as ws:
        figs = figures.completion_figures(ws, as_of)
        letter = figures.letter_figures(ws, as_of.year, as_of=as_of)
    if args.json:
        out = {"as_of": as_of.isoformat(), "overall_rate": figs.overall.rate, "overall": figs.overall.as_dict(),
               "not_counted": figs.not_counted.as_dict(),
               "letter": letter, "by_category": {k: v.as_dict() for k, v in figs.by_category.items()},
               "by_office": {k: v.as_dict() for k, v in figs.by_office.items()}}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    code = current_language()

    def rate(value: float | None) -> str:
        return "—" if value is None else percent(value)

    o = figs.overall
    print(_("Completion rate on {date}: {rate} ({trained} of {active} active personnel)").format(
        date=as_of.isoformat(), rate=rate(o.rate), trained=number(o.trained), active=number(o.active)))
    print(_("Never trained: {never}; overdue: {overdue}; expiring within 30/60/90 days: {e30}/{e60}/{e90}").format(
        never=number(o.never), overdue=number(o.overdue), e30=number(o.expiring[30]), e60=number(o.expiring[60]),
        e90=number(o.expiring[90])))
    if figs.not_counted:
        print("  " + figs.not_counted.text(code))
    print(_("Management letter {year}: {rate} ({trained} of {population})").format(
        year=letter["year"], rate=rate(letter["training_rate"]), trained=number(letter["trained"]),
        population=number(letter["population"])))
    left = NotCounted.from_dict(letter["not_counted"])
    if left:
        print("  " + left.text(code))
    for code, _label in CATEGORIES:
        c = figs.by_category[code]
        print(f"  {category_label(code)}: {rate(c.rate)} ({number(c.trained)}/{number(c.active)})")
    return 0


def cmd_courses(args: argparse.Namespace) -> int:
    from desktop.roster.model import (
        InvalidPerson,
        course_completions,
        courses,
        find_course,
        kind_label,
        set_course_kind,
    )
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    with Workspace.open(args.path, passphrase) as ws:
        for title, kind in args.set_kind:
            course = find_course(ws, title)
            if course is None:
                print(_("No course is called “{title}”.").format(title=title), file=sys.stderr)
                return 1
            try:
                set_course_kind(ws, course.id, kind)
            except InvalidPerson as exc:
                print(str(exc), file=sys.stderr)
                return 1
            print(_("“{title}” is now: {kind}.").format(title=course.label(), kind=kind_label(kind)))
        done = course_completions(ws)
        rows = [{"id": c.id, "title": c.label(), "kind": c.kind, "kind_label": kind_label(c.kind),
                 "validity_months": c.validity_months, "completions": done.get(c.id, 0),
                 "office": c.office, "reference": c.reference} for c in courses(ws)]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if args.set_kind:
        return 0
    for r in rows:
        owner = _("reference") if r["reference"] else r["office"]
        print(_("{title} — {kind}; {completions} completions; valid {months} months ({owner})").format(
            title=r["title"], kind=r["kind_label"], completions=number(r["completions"]),
            months=number(r["validity_months"]), owner=owner))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.roster import listing
    from desktop.roster.figures import STATUS_LABELS
    from desktop.roster.model import category_label
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    with Workspace.open(args.path, passphrase) as ws:
        roster = listing.load_roster(ws, args.as_of or dt.date.today())
        rows = roster.filter(args.filter)
        snap = roster.snap
        people = [{"name": snap.names[i], "index_number": snap.index_numbers[i] or None,
                   "email": snap.emails[i] or None, "category": snap.category_code(i), "office": snap.office(i),
                   "status": roster.statuses[i]} for i in rows]
    if args.json:
        print(json.dumps(people, ensure_ascii=False, indent=2))
        return 0
    for p in people:
        print("\t".join([p["name"], p["index_number"] or "", p["email"] or "", category_label(p["category"]),
                         p["office"], _(STATUS_LABELS[p["status"]])]))
    return 0
