"""Exceptions of the service layer."""

from __future__ import annotations


class NotFound(Exception):
    """The thing does not exist, or the user may not know that it exists (shown as 404)."""


class Forbidden(Exception):
    """The user may see the thing but not do this to it (shown as 403)."""


class Invalid(Exception):
    """A request that cannot be carried out as asked (shown as 400/409 with the message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
