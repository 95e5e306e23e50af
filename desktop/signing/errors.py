"""Signing errors, apart from pyHanko: the command line names them without loading it (start-up budget)."""

from __future__ import annotations


class SigningError(Exception):
    """A signing problem the user can act on; `message` is an untranslated msgid."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params
