"""`psea-desk letter render|sign|allegations ...` and `psea-desk verify FILE.pdf`.

Note: `--language` after `letter render/sign` is the letter's language; like the global option of
the same name it also sets the language of the command's messages.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

import i18n
from desktop.cli_args import json_flag, workspace_path
from desktop.letter import allegations, setting_keys  # the keys only, not settings' machinery (start-up)
from desktop.passphrase import NoPassphrase, obtain
from desktop.private_files import write_private
from desktop.signing.errors import SigningError
from i18n import _
from i18n.formatting import number

ENV_P12 = "PSEA_DESK_P12_PASSWORD"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_UNTRUSTED = 5   # verify: intact, but not from a trusted signer

# The commands `register` adds (desktop/cli.py builds the parser of the command given only).
COMMANDS = ("letter", "verify")


def register(subparsers: argparse._SubParsersAction) -> None:
    letter = subparsers.add_parser("letter", help=_("the annual management letter: preview, sign, allegations"))
    sub = letter.add_subparsers(dest="letter_command", metavar=_("COMMAND"))
    letter.set_defaults(func=lambda args: (letter.print_help(), EXIT_USAGE)[1])

    p = sub.add_parser("render", help=_("write the letter as an unsigned PDF (preview)"))
    _common(p)
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("sign", help=_("sign the letter (PAdES) and write the signed PDF; the version is then frozen"))
    _common(p)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--p12", type=Path, help=_("PKCS#12 file issued by the entity (password from {variable} or "
                                                "prompted)").format(variable=ENV_P12))
    who.add_argument("--workspace-identity", action="store_true",
                     help=_("sign with the identity kept in the workspace (created with --name and --title if "
                            "there is none)"))
    p.add_argument("--name", default=None, help=_("signatory's name for a new workspace identity"))
    p.add_argument("--title", default=None, help=_("signatory's title for a new workspace identity"))
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("status", help=_("what stops the letter from being signed, and where to fix each"))
    workspace_path(p)
    p.add_argument("--year", type=int, required=True, help=_("calendar year"))
    p.add_argument("--language", choices=i18n.LANGUAGE_CODES, required=True, help=_("language of the letter"))
    json_flag(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("attest", help=_("confirm the statements the signer attests (recorded with who and when)"))
    workspace_path(p)
    p.add_argument("--year", type=int, required=True, help=_("calendar year"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--item", action="append", metavar=_("ID"),
                       help=_("a statement to confirm (repeatable); `letter status` lists them"))
    which.add_argument("--all", action="store_true", help=_("confirm every statement the signer attests"))
    p.add_argument("--by", default=None, metavar=_("NAME"),
                   help=_("who confirms (default: the signer's name in the letter settings)"))
    p.set_defaults(func=cmd_attest)

    p = sub.add_parser("settings", help=_("names in six languages and the other settings the letter prints"))
    workspace_path(p)
    p.add_argument("--set", nargs="+", action="append", default=[], metavar="KEY [LL] VALUE",
                   help=_("set a value: KEY LL VALUE for names per language ({per_language}), KEY VALUE for "
                          "{single}").format(per_language=", ".join(setting_keys.PER_LANGUAGE),
                                             single=", ".join(setting_keys.SINGLE)))
    json_flag(p)
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("assurances", help=_("offices' assurances of a year: signed, unsigned or missing"))
    workspace_path(p)
    p.add_argument("--year", type=int, required=True, help=_("calendar year"))
    json_flag(p)
    p.set_defaults(func=cmd_assurances)

    p = sub.add_parser("allegations", help=_("show or set the allegation counts of a year"))
    workspace_path(p)
    p.add_argument("--year", type=int, required=True, help=_("calendar year"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--set", nargs=3, metavar=("CATEGORY", "STATUS", "COUNT"), default=None,
                      help=_("set a count; categories: {categories}; statuses: {statuses}").format(
                          categories=", ".join(allegations.CATEGORIES), statuses=", ".join(allegations.STATUSES)))
    p.add_argument("--referred-to", default="", choices=[b for b in allegations.BODIES if b] + [""],
                   help=_("the body the allegations were referred to"))
    what.add_argument("--import", dest="import_file", type=Path, default=None, metavar=_("FILE"),
                      help=_("set the year's counts from a CSV or XLSX file (category, status, referred to, "
                             "number), all or nothing"))
    p.add_argument("--dry-run", action="store_true", help=_("with --import: check the file without importing it"))
    json_flag(p)
    p.set_defaults(func=cmd_allegations)

    p = subparsers.add_parser("verify", help=_("check the signatures of a PDF: exit 0 intact and trusted, 5 intact "
                                                "but not from a trusted signer, 1 altered or unreadable"))
    p.add_argument("file", type=Path, help=_("the PDF file"))
    json_flag(p)
    p.add_argument("--workspace", type=Path, default=None,
                   help=_("a workspace whose trusted certificates to use (asks for its passphrase)"))
    p.add_argument("--trusted", type=Path, action="append", default=[], metavar=_("FILE"),
                   help=_("a file of certificates the entity trusts (PEM or DER; repeatable)"))
    p.set_defaults(func=cmd_verify)


def _common(p: argparse.ArgumentParser) -> None:
    workspace_path(p)
    p.add_argument("--year", type=int, required=True, help=_("calendar year"))
    p.add_argument("--language", choices=i18n.LANGUAGE_CODES, required=True, help=_("language of the letter"))
    p.add_argument("--out", type=Path, required=True, help=_("the PDF file to write"))


def _error(exc: Exception) -> int:
    """A LetterError, SigningError, InvalidAllegation, SettingsError or AttestationError (each has a
    message and its parameters)."""
    print(_(exc.message).format(**exc.params), file=sys.stderr)
    for problem in getattr(exc, "problems", ()):
        print(_print_problem(problem), file=sys.stderr)
    return EXIT_FAILED


def _print_problem(problem) -> str:  # noqa: ANN001 - gate.Problem
    return "  - " + _("{problem} (where: {where})").format(problem=problem.message, where=problem.where)


def _write(path: Path, data: bytes) -> None:
    write_private(path, data)


def cmd_render(args: argparse.Namespace) -> int:
    from desktop.letter import (
        model,
        service,  # reportlab: loaded by the commands that draw
    )
    from desktop.letter.model import LetterError
    from storage import Workspace
    try:
        with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
            letter = model.current_or_new(ws, args.year, args.language)  # previewing writes nothing
            data = service.preview(ws, letter)
    except LetterError as exc:
        return _error(exc)
    _write(args.out, data)
    print(_("Wrote {file} (version {version}, {status}).").format(
        file=args.out, version=letter["version"],
        status=_("signed") if letter["status"] == model.SIGNED else _("not signed")))
    return EXIT_OK


def _p12_password() -> str:
    value = os.environ.get(ENV_P12)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise NoPassphrase(_("No certificate password: set {variable} or run the command in a terminal.").format(
            variable=ENV_P12))
    return getpass.getpass(_("Certificate password: "))


def cmd_sign(args: argparse.Namespace) -> int:
    from desktop.letter import gate, model, service, settings
    from desktop.letter.model import LetterError
    from desktop.signing import identity as identities  # pyHanko: loaded by the commands that sign
    from storage import Workspace
    """Exit 1 with the gate's list when the letter cannot be signed yet; nothing is written then."""
    try:
        ident = identities.load_pkcs12(args.p12, _p12_password()) if args.p12 else None
        with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
            letter = model.current_or_new(ws, args.year, args.language)
            if letter["status"] == model.SIGNED:
                print(_("Version {version} of this letter is already signed; it was written unchanged.").format(
                    version=letter["version"]))
                data = model.signed_pdf(ws, letter["id"]) or b""
            else:
                found = gate.problems(ws, letter)
                if found:
                    raise service.NotReady(found)
                if ident is None:
                    ident = identities.workspace_identity(ws)
                if ident is None:
                    name = args.name or settings.load(ws).single.get("signatory", "")
                    title = args.title or settings.load(ws).get("title", args.language)
                    if not name:
                        print(_("This workspace has no signing identity yet: give --name and --title."),
                              file=sys.stderr)
                        return EXIT_USAGE
                    ident = identities.create_workspace_identity(ws, name, title)
                    print(_("Created a signing identity for {name} in the workspace.").format(name=name))
                letter = model.ensure(ws, args.year, args.language)
                data, letter = service.sign(ws, letter, ident)
    except (LetterError, SigningError) as exc:
        return _error(exc)
    _write(args.out, data)
    print(_("Signed by {name}; wrote {file} (version {version}).").format(
        name=letter["signer"], file=args.out, version=letter["version"]))
    return EXIT_OK


def cmd_allegations(args: argparse.Namespace) -> int:
    from storage import Workspace
    if args.import_file is not None:
        return _import_allegations(args)
    try:
        with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
            if args.set:
                category, status, count = args.set
                allegations.set_count(ws, args.year, category, status, args.referred_to, count)
            summary = allegations.summary(ws, args.year)
    except allegations.InvalidAllegation as exc:
        return _error(exc)
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    print(_("Allegations received in {year}: {total}").format(year=args.year, total=number(summary.total)))
    for cat in allegations.CATEGORIES:
        counts = summary.table.get(cat, {})
        parts = [f"{_(allegations.STATUS_LABELS[s])} {number(counts.get(s, 0))}" for s in allegations.STATUSES
                 if counts.get(s)]
        print(f"  {_(allegations.CATEGORY_LABELS[cat])}: {number(summary.by_category.get(cat, 0))}"
              + (f" ({'; '.join(parts)})" if parts else ""))
    return EXIT_OK


def _import_allegations(args: argparse.Namespace) -> int:
    from desktop.letter import allegation_import
    from desktop.spreadsheet.cli import report
    from storage import Workspace
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        result = allegation_import.import_file(ws, args.import_file, args.year, dry_run=args.dry_run)
    return report(result, as_json=args.json)


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.letter import service
    from desktop.signing import trust
    from storage import Workspace
    """0 intact and trusted; 5 intact but not from a trusted signer; 1 altered, unsigned or unreadable."""
    try:
        data = args.file.read_bytes()
    except OSError:
        print(_("Cannot read {file}.").format(file=args.file), file=sys.stderr)
        return EXIT_FAILED
    extra: list[bytes] = []
    for path in args.trusted:
        try:
            extra += trust.read_certificates(path.read_bytes())
        except (OSError, ValueError):
            print(_("{file} is not a file of certificates (PEM or DER).").format(file=path), file=sys.stderr)
            return EXIT_USAGE
    if args.workspace:
        with Workspace.open(args.workspace, obtain(_("Passphrase: "))) as ws:
            result = service.verify(ws, data, extra)
    else:
        result = service.verify(None, data, extra)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        print("\n".join(service.describe(result)))
    return {"trusted": EXIT_OK, "untrusted": EXIT_UNTRUSTED}.get(result.verdict, EXIT_FAILED)


def cmd_status(args: argparse.Namespace) -> int:
    """Exit 0 when the letter can be signed (or is signed), 1 with the list of problems otherwise."""
    from desktop.letter import compose, gate, model, templates
    from storage import Workspace
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        letter = model.current_or_new(ws, args.year, args.language)
        comp = compose.compose(ws, letter)
        found = [] if letter["status"] == model.SIGNED else gate.problems(ws, letter, comp)
        items = [{"id": i.key, "kind": i.kind, "confirmed": i.confirmed, "text": i.text}
                 for b in comp.blocks for i in b.items if i.kind == templates.ATTESTATION]
    if args.json:
        print(json.dumps({"year": args.year, "language": args.language, "scope": comp.scope,
                          "status": letter["status"], "version": letter["version"], "ready": not found,
                          "problems": [p.as_dict() for p in found], "attestations": items},
                         ensure_ascii=False, sort_keys=True))
    else:
        if letter["status"] == model.SIGNED:
            print(_("Version {version} is signed.").format(version=letter["version"]))
        elif not found:
            print(_("The letter can be signed."))
        else:
            print(_("The letter cannot be signed yet. Problems to solve first: {n}.").format(n=len(found)))
            for problem in found:
                print(_print_problem(problem))
        for item in items:
            mark = "[x]" if item["confirmed"] else "[ ]"
            print(f"{mark} {item['id']}: {gate._short(item['text'], 100)}")
    return EXIT_OK if not found else EXIT_FAILED


def cmd_attest(args: argparse.Namespace) -> int:
    from desktop.letter import attestations, compose, settings, templates
    from storage import Workspace
    try:
        with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
            scope = compose.scope_of(ws)
            conf = settings.load(ws)
            known = templates.attestation_keys(scope, {"reporting_app": "x" if any(
                (conf.values.get("reporting_app") or {}).values()) else ""})
            items = list(known) if args.all else args.item
            by = args.by or conf.single.get("signatory") or ws.actor
            new = attestations.confirm(ws, args.year, scope, items, by, known)
    except attestations.AttestationError as exc:
        return _error(exc)
    print(_("Statements confirmed by {name}: {n} (newly confirmed: {new}).").format(name=by, n=len(items), new=len(new)))
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    from desktop.letter import settings
    from storage import Workspace
    try:
        with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
            for parts in args.set:
                if len(parts) == 3 and parts[0] in settings.PER_LANGUAGE:
                    settings.set_value(ws, parts[0], parts[1], parts[2])
                elif len(parts) == 2 and parts[0] in settings.SINGLE:
                    settings.set_value(ws, parts[0], None, parts[1])
                else:
                    print(_("Use --set KEY LL VALUE (per language) or --set KEY VALUE."), file=sys.stderr)
                    return EXIT_USAGE
            conf = settings.load(ws)
    except settings.SettingsError as exc:
        return _error(exc)
    if args.json:
        print(json.dumps(conf.as_dict(), ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    for key, label in settings.PER_LANGUAGE.items():
        values = conf.values.get(key) or {}
        print(f"{_(label)}:")
        for code in i18n.LANGUAGE_CODES:
            print(f"  {code}: {values.get(code) or '—'}")
    for key, label in settings.SINGLE.items():
        print(f"{_(label)}: {conf.single.get(key) or '—'}")
    return EXIT_OK


def cmd_assurances(args: argparse.Namespace) -> int:
    from desktop.letter import assurances
    from storage import Workspace
    with Workspace.open(args.path, obtain(_("Passphrase: "))) as ws:
        rows = assurances.assurances(ws, args.year)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, sort_keys=True))
        return EXIT_OK
    words = {assurances.RECEIVED: _("signed"), assurances.UNSIGNED: _("not signed"), assurances.MISSING: _("missing")}
    for r in rows:
        extra = f" ({', '.join(r.languages)}; {r.signer})" if r.state == assurances.RECEIVED else ""
        print(f"{r.office}: {words[r.state]}{extra}")
    return EXIT_OK
