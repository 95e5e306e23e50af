"""What can be wrong with a bundle, each with a sentence a user understands. Translated when shown."""

from __future__ import annotations

import i18n
from i18n import _
from i18n.formatting import number


class BundleError(Exception):
    """Base of every bundle problem. Raised before anything in the workspace was touched."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    def message(self) -> str:
        return _("The bundle could not be read.")

    def __reduce__(self) -> tuple:
        # Rebuilt without calling __init__ (subclasses take other arguments): the merge reads bundles in a
        # helper process (merge.py) and its errors come back pickled.
        return _rebuilt, (type(self), self.args, self.__dict__)

    def __str__(self) -> str:
        return self.message()


class NotABundle(BundleError):
    def message(self) -> str:
        return _("This file is not a PSEA Desk export bundle. Nothing was imported.")


class BundleNotFound(BundleError):
    def message(self) -> str:
        return _("There is no bundle file at this location.")


class WrongBundlePassphrase(BundleError):
    def message(self) -> str:
        return _("The bundle does not open with this passphrase. Check the passphrase with the office that "
                 "exported it; if it is right, the file was damaged or altered on the way. Nothing was imported.")


class BundleDamaged(BundleError):
    def message(self) -> str:
        return _("The bundle is damaged or was altered after it was exported (its encryption check fails). "
                 "Ask the office to send it again. Nothing was imported.")


class BundleTruncated(BundleError):
    def message(self) -> str:
        return _("The bundle is incomplete: the file was cut short, perhaps while copying. "
                 "Ask the office to send it again. Nothing was imported.")


class BadSignature(BundleError):
    def message(self) -> str:
        return _("The signature of the bundle does not match its content: it was altered after it was signed. "
                 "Nothing was imported.")


class NewerBundle(BundleError):
    def message(self) -> str:
        return _("This bundle was made by a newer version of PSEA Desk. Install the newer version to import it. "
                 "Nothing was imported.")


class BundleTooLarge(BundleError):
    def message(self) -> str:
        return _("The bundle is larger than PSEA Desk accepts (or unpacks to far more than its size). "
                 "Nothing was imported.")


class FilesTooLarge(BundleError):
    """At export: the attached files and signed letters would not fit in one bundle."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit

    def message(self) -> str:
        return _("The attached files and signed letters add up to {size} MB, more than one bundle can carry "
                 "({limit} MB). Export without files: the records still travel, and the files stay in this "
                 "workspace. No bundle was written.").format(size=number(round(self.size / 2**20, 1)),
                                                       limit=number(self.limit // 2**20))


class MalformedBundle(BundleError):
    def message(self) -> str:
        return _("The content of the bundle is malformed, although it opened and its signature is valid. "
                 "Nothing was imported.")


class ForeignRecords(BundleError):
    def message(self) -> str:
        return _("The bundle holds records of another office than the one that signed it ({office}). A bundle "
                 "may only carry its own office's records. Nothing was imported.").format(office=self.detail)


class FutureRevision(BundleError):
    def message(self) -> str:
        return _("The bundle holds changes dated in the future: the clock of the computer that exported it "
                 "is wrong. Ask the office to set its date and time and export again. Nothing was imported.")


class UnknownKind(BundleError):
    def message(self) -> str:
        return _("The bundle holds records of a kind this version of PSEA Desk does not know ({kind}). "
                 "Install the newer version to import it. Nothing was imported.").format(kind=self.detail)


class SenderKeyChanged(BundleError):
    """A known office signs with a different key: refused unless the user confirms the new key."""

    def __init__(self, office: str, known: str, new: str) -> None:
        super().__init__(office)
        self.office, self.known, self.new = office, known, new

    def message(self) -> str:
        return _("Warning: the office {office} signed this bundle with a different key than before.\n"
                 "Known key: {known}\nKey of this bundle: {new}\n"
                 "Call the office and compare the fingerprint before accepting the new key. "
                 "Nothing was imported.").format(office=i18n.left_to_right(self.office), known=i18n.left_to_right(self.known),
                                                  new=i18n.left_to_right(self.new))


class WeakBundlePassphrase(BundleError):
    def message(self) -> str:
        return _("The bundle passphrase is too short: use at least 10 characters.")


class BadRecipientKey(BundleError):
    def message(self) -> str:
        return _("The recipient key file is not a PSEA Desk recipient key.")


class RelayTooLarge(BundleError):
    """At export: the offices' bundles to relay do not fit in one relay bundle."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit}")
        self.size, self.limit = size, limit

    def message(self) -> str:
        return _("The offices' bundles to relay add up to {size} MB, more than one bundle can carry ({limit} MB). "
                 "Relay only what is new since the last relay to this recipient, or export without files. No "
                 "bundle was written.").format(size=number(round(self.size / 2**20, 1)),
                                               limit=number(self.limit // 2**20))


class MalformedRelay(BundleError):
    def message(self) -> str:
        return _("The coordinator's relay bundle is not built as it should be (its list of offices' bundles "
                 "does not match what it carries). Nothing was imported from it.")


class OwnOfficeClaim(BundleError):
    """A bundle that claims to speak for the receiving workspace's own office."""

    def message(self) -> str:
        return _("This bundle claims to come from this workspace's own office ({office}). A workspace never takes "
                 "its own office's records from a bundle: they are written here. Nothing was imported.").format(
            office=i18n.left_to_right(self.detail))


class KeyOfAnotherOffice(BundleError):
    """One signing key may speak for one office only."""

    def __init__(self, office: str, owner: str) -> None:
        super().__init__(office)
        self.office, self.owner = office, owner

    def message(self) -> str:
        return _("This bundle for the office {office} is signed with the key of another office, {owner}. An office's "
                 "key speaks for that office only. Nothing was imported.").format(
            office=i18n.left_to_right(self.office), owner=i18n.left_to_right(self.owner))


class TooManyRows(BundleError):
    """More rows than a bundle may carry, refused from the signed manifest before anything is unpacked."""

    def message(self) -> str:
        return _("The bundle declares more records than PSEA Desk accepts in one bundle ({limit}). "
                 "Nothing was imported.").format(limit=number(int(self.detail or 0)))


class ValueTooLongInBundle(BundleError):
    """A text longer than its field holds: refused, never cut (storage/text.py)."""

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(field)
        self.field, self.limit = field, limit

    def message(self) -> str:
        return _("The bundle holds a text longer than the field {field} holds ({limit} characters). "
                 "Nothing was imported.").format(field=i18n.left_to_right(self.field), limit=number(self.limit))


class BundleNotWritten(BundleError):
    """At export: the file could not be written (a full disk, a read-only folder, a removed stick)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path, self.reason = path, reason

    def message(self) -> str:
        return _("The bundle could not be written to {path} ({reason}). No bundle was written and the workspace "
                 "is unchanged. Free some disk space or choose another folder, then export again.").format(
            path=i18n.left_to_right(self.path), reason=self.reason)


def _rebuilt(cls: type[BundleError], args: tuple, state: dict) -> BundleError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error
