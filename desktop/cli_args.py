"""Arguments every instrument's subcommands share, worded and translated once."""

from __future__ import annotations

import argparse
from pathlib import Path

from i18n import _


def workspace_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help=_("the workspace file"))


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def year_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None, help=_("calendar year (default: this year)"))
