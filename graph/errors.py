"""The errors a user can meet, each carrying one clear line."""


class PolicyGraphError(Exception):
    """Base class: the message is one line naming the input and the problem.

    ``detail`` is optional context a person reads below that line, such as a query's line with
    a caret under a syntax error; the message stands without it."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class InputError(PolicyGraphError):
    """An article file, option or query the user gave cannot be used."""


class ValidationError(PolicyGraphError):
    """The extracted graph breaks a SHACL shape; nothing was written."""


class StoreError(PolicyGraphError):
    """The store cannot be opened or written (busy, unreachable, refused the update)."""


class ExtractionError(PolicyGraphError):
    """Extraction failed on an article (a bug, reported as one line); nothing was written."""
