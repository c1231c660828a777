"""Domain errors. Each carries a message id (English gettext msgid) and parameters so a channel can
translate it for the user; `str()` gives the English text for logs and the CLI.

Convention: a `field` parameter names a field by its label msgid (marked with N_, e.g. N_("Phone")); channels
translate it along with the message (handlers/dispatcher.py), so nobody reads a raw attribute name."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    msgid: str = "That cannot be done."

    def __init__(self, msgid: str | None = None, **params: Any) -> None:
        self.msgid = msgid or self.msgid
        self.params = params
        super().__init__(self.msgid.format(**params) if params else self.msgid)


class IllegalTransition(DomainError):
    msgid = "Not possible while the complaint is “{status}” (step: {action})."


class NotFound(DomainError):
    msgid = "Not found."


class PermissionDenied(DomainError):
    msgid = "You are not allowed to do that."


class ValidationFailed(DomainError):
    msgid = "The input is not valid."


class ImportFailed(DomainError):
    """A file import was refused as a whole; `problems` lists (line number, message)."""

    msgid = "The import was refused: {count} problem(s) found, nothing was imported."

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__(count=len(problems))

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"line {line}: {message}" for line, message in self.problems]
        return "\n".join(lines)
