"""Where passphrases come from on the command line: an environment variable, else a silent prompt.

Never echoed, never logged, never put in an exception message.
"""

from __future__ import annotations

import getpass
import os
import sys

from i18n import _

ENV_WORKSPACE = "PSEA_DESK_PASSPHRASE"
ENV_NEW = "PSEA_DESK_NEW_PASSPHRASE"


class NoPassphrase(Exception):
    pass


def obtain(prompt: str, env_var: str = ENV_WORKSPACE, *, confirm: bool = False) -> str:
    value = os.environ.get(env_var)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise NoPassphrase(_("No passphrase: set {variable} or run the command in a terminal.").format(variable=env_var))
    first = getpass.getpass(prompt)
    if confirm:
        second = getpass.getpass(_("Repeat the passphrase: "))
        if first != second:
            raise NoPassphrase(_("The two passphrases differ; nothing was changed."))
    return first


def obtain_optional(prompt: str, env_var: str) -> str | None:
    """A passphrase that may not be needed (bundles encrypted to this workspace's own key open without
    one): the environment variable, else a prompt whose empty answer means none, else none."""
    value = os.environ.get(env_var)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt) or None
