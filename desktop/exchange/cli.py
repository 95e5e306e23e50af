"""Command line: `export`, `merge` and `recipient-key`.

The workspace passphrase comes from PSEA_DESK_PASSPHRASE or a prompt, the bundle passphrase from
PSEA_DESK_BUNDLE_PASSPHRASE or a prompt; neither is ever echoed or logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import i18n
from desktop.cli_args import workspace_path, year_option
from desktop.passphrase import obtain, obtain_optional
from desktop.private_files import write_private_text
from i18n import _, ngettext
from i18n.formatting import number

if TYPE_CHECKING:
    from desktop.exchange.merge import BundleResult
    from desktop.exchange.region import OfficeFigures

# Implementations are imported by the commands that use them, the errors and the regional view too
# (region pulls in every instrument's figures and labels): every command, and `--help`, pays only for
# its own libraries (start-up budget, issue 14; tests/desktop/test_cli_imports.py).
ENV_BUNDLE = "PSEA_DESK_BUNDLE_PASSPHRASE"

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("export", "merge", "region", "recipient-key")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help=_("export the workspace as an encrypted, signed bundle for a coordinator"))
    workspace_path(p)
    p.add_argument("--out", type=Path, required=True, metavar=_("BUNDLE"), help=_("the bundle file to write"))
    p.add_argument("--since-last-to", metavar=_("RECIPIENT"), default=None,
                   help=_("only what changed since the last export to this recipient (remembered per recipient)"))
    p.add_argument("--without-files", action="store_true",
                   help=_("leave out the attached files and signed letter PDFs (the records still travel)"))
    p.add_argument("--recipient-key", type=Path, metavar=_("FILE"), default=None,
                   help=_("encrypt the bundle to this coordinator's recipient key (remembered for the next exports)"))
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--with-passphrase", action="store_true",
                      help=_("also protect the bundle with a passphrase, besides the coordinator's recipient key"))
    keys.add_argument("--passphrase-only", action="store_true",
                      help=_("use a bundle passphrase only, not the remembered recipient key (a bundle for someone else)"))
    p.add_argument("--relay", action="store_true",
                   help=_("a coordinator's export for headquarters: also carry every office's bundles merged here, "
                          "each with the office's own signature"))
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("merge", help=_("import and merge export bundles into a workspace"))
    workspace_path(p)
    p.add_argument("bundles", type=Path, nargs="+", metavar=_("BUNDLE"), help=_("bundle files to merge"))
    p.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    p.add_argument("--accept-new-key", action="append", default=[], metavar=_("OFFICE"),
                   help=_("accept a changed signing key for this office (after checking its fingerprint by phone)"))
    p.add_argument("--reimport", action="store_true",
                   help=_("read bundles again even if the same file was imported before"))
    p.set_defaults(func=cmd_merge)

    p = subparsers.add_parser("region", help=_("the regional table: each office's figures and the region's (or, at "
                                                "headquarters, the entity's)"))
    workspace_path(p)
    year_option(p)
    p.add_argument("--json", action="store_true", help=_("print the table as JSON"))
    p.add_argument("--csv", type=Path, metavar=_("FILE"), default=None, help=_("also write the table as CSV"))
    p.add_argument("--pdf", type=Path, metavar=_("FILE"), default=None, help=_("also write the regional report PDF"))
    p.add_argument("--language", choices=i18n.LANGUAGE_CODES, default=None,
                   help=_("language of the CSV headings and the PDF (default: the workspace's)"))
    p.set_defaults(func=cmd_region)

    p = subparsers.add_parser("recipient-key", help=_("write this workspace's recipient key, for offices to encrypt bundles to"))
    workspace_path(p)
    p.add_argument("--out", type=Path, required=True, metavar=_("FILE"))
    p.set_defaults(func=cmd_recipient_key)


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.exchange.errors import BundleError
    from desktop.exchange.export import export_bundle
    from desktop.exchange.keys import (
        read_recipient_key_file,
        remember_recipient_key,
        remembered_recipient_key,
    )
    from desktop.exchange.relay import export_relay
    from storage import Workspace
    try:
        given = read_recipient_key_file(args.recipient_key) if args.recipient_key else None
    except BundleError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    passphrase = obtain(_("Passphrase: "))
    with Workspace.open(args.path, passphrase) as ws:
        if given is not None:
            remember_recipient_key(ws, *given)
        remembered = None if args.passphrase_only else remembered_recipient_key(ws)
        recipient_key = remembered.key if remembered else None
        # To a known coordinator: its key alone (nothing to guess offline), unless asked for a passphrase too.
        bundle_passphrase = (obtain(_("Bundle passphrase: "), ENV_BUNDLE, confirm=True)
                             if recipient_key is None or args.with_passphrase else None)
        if remembered is not None:
            print(_("Encrypted to the recipient key of {office} (fingerprint {fingerprint}): only that workspace can "
                    "open the bundle.").format(office=i18n.left_to_right(remembered.office),
                                                fingerprint=i18n.left_to_right(remembered.fingerprint)))
        try:
            if args.relay:
                relayed = export_relay(ws, args.out, bundle_passphrase, recipient=args.since_last_to,
                                       recipient_key=recipient_key, include_files=not args.without_files)
            else:
                result = export_bundle(ws, args.out, bundle_passphrase, recipient=args.since_last_to,
                                       recipient_key=recipient_key, include_files=not args.without_files)
        except BundleError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        except IsADirectoryError:
            print(_("The bundle path is a folder; give a file name."), file=sys.stderr)
            return 2
    if args.relay:
        others = len(relayed.parts) - 1
        print(ngettext("Relay bundle written: {path} (this workspace's records and {n} office bundle, from {offices}).",
                       "Relay bundle written: {path} (this workspace's records and {n} office bundles, from {offices}).",
                       others).format(path=relayed.path, n=number(others), offices=", ".join(relayed.offices)))
        print(_("Signing key fingerprint (read it to the coordinator by phone): {fingerprint}").format(
            fingerprint=i18n.left_to_right(relayed.fingerprint)))
        return 0
    records = ngettext("{n} record", "{n} records", result.records).format(n=number(result.records))
    files = ngettext("{n} file", "{n} files", result.files).format(n=number(result.files))
    print(_("Bundle written: {path} ({records}, {files}).").format(path=result.path, records=records, files=files))
    print(_("Signing key fingerprint (read it to the coordinator by phone): {fingerprint}").format(
        fingerprint=i18n.left_to_right(result.fingerprint)))
    return 0


def _line(r: BundleResult) -> str:
    if r.error is not None:
        return _("{file}: refused. {reason}").format(file=r.file_name, reason=str(r.error))
    if r.status == "already-imported":
        return _("{file} ({office}): already imported; nothing changed.").format(file=r.file_name, office=r.office)
    if r.via:
        return _("{file} ({office}, relayed by {via}): inserted {inserted}, updated {updated}, unchanged {unchanged}, "
                 "conflicts {conflicts}, files {files}.").format(
            file=r.file_name, office=r.office, via=r.via, inserted=number(r.inserted), updated=number(r.updated),
            unchanged=number(r.unchanged), conflicts=number(r.conflicts), files=number(r.files_added))
    return _("{file} ({office}): inserted {inserted}, updated {updated}, unchanged {unchanged}, "
             "conflicts {conflicts}, files {files}.").format(
        file=r.file_name, office=r.office, inserted=number(r.inserted), updated=number(r.updated),
        unchanged=number(r.unchanged), conflicts=number(r.conflicts), files=number(r.files_added))


def cmd_merge(args: argparse.Namespace) -> int:
    from desktop.exchange.errors import SenderKeyChanged
    from desktop.exchange.merge import merge_bundles
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    bundle_passphrase = obtain_optional(_("Bundle passphrase (press Enter if the bundles are encrypted to this "
                                          "workspace's recipient key): "), ENV_BUNDLE)
    with Workspace.open(args.path, passphrase) as ws:
        def progress(done: int, total: int, result: BundleResult | None) -> None:
            if result is not None and not args.json:
                print(f"[{done}/{total}] {_line(result)}", flush=True)

        results = merge_bundles(ws, args.bundles, bundle_passphrase, progress=progress,
                                accept_new_keys=set(args.accept_new_key), reimport=args.reimport)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    refused = [r for r in results if r.error is not None]
    if any(isinstance(r.error, SenderKeyChanged) for r in refused):
        print(_("To accept a changed key after checking it by phone, repeat with --accept-new-key OFFICE."),
              file=sys.stderr)
    return 1 if refused else 0


def cmd_recipient_key(args: argparse.Namespace) -> int:
    from desktop.exchange.keys import write_recipient_key
    from storage import Workspace
    passphrase = obtain(_("Passphrase: "))
    with Workspace.open(args.path, passphrase) as ws:
        fp = write_recipient_key(ws, args.out)
    print(_("Recipient key written: {path}. Fingerprint: {fingerprint}").format(
        path=args.out, fingerprint=i18n.left_to_right(fp)))
    return 0


def _row(fig: OfficeFigures) -> dict:
    from desktop.exchange import region

    out = {key: getattr(fig, key) for key in ("office", "name", "personnel", "trained", "completion_rate",
                                               "not_counted", "partners", "partners_assessed", "ratings",
                                               "risk_assessments", "high_risks_open", "allegations", "letters_signed",
                                               "records")}
    if fig.office != region.REGION:
        out["figures"] = fig.figures
    return out


def cmd_region(args: argparse.Namespace) -> int:
    import datetime as dt

    from desktop.exchange import region
    from storage import Workspace

    passphrase = obtain(_("Passphrase: "))
    year = args.year or dt.date.today().year
    with Workspace.open(args.path, passphrase) as ws:
        code = args.language or ws.language
        rows = region.regional_figures(ws, year)
        if args.pdf is not None:
            from desktop.exchange.region_report import regional_report

            regional_report(ws, args.pdf, code, year=year, rows=rows)
    if args.csv is not None:
        previous = i18n.current_language()
        i18n.set_language(code)
        try:
            write_private_text(args.csv, region.to_csv(rows), encoding="utf-8-sig")
        finally:
            i18n.set_language(previous)
    if args.json:
        print(json.dumps({"year": year, "offices": [_row(r) for r in rows[:-1]], "total": _row(rows[-1])},
                         ensure_ascii=False, indent=2, default=str))
        return 0
    widths = [max(len(region.cell(r, key)) for r in rows) for key, _h in region.COLUMNS[:-1]]
    for r in rows:
        print("  ".join(region.cell(r, key).ljust(w) for (key, _h), w in zip(region.COLUMNS[:-1], widths, strict=True)))
    for note in region.not_counted_notes(rows):
        print(note)
    return 0
