"""Signed links for people without an account: the reference of a sign-up or an application,
signed so that only the link the person was given opens the page."""

from __future__ import annotations

from django.core import signing

from kepu.core.errors import NotFoundError


def signed_reference(reference: str, salt: str) -> str:
    """The token for a link to the record with ``reference`` (``salt`` names the kind of link)."""
    return signing.dumps(reference, salt=salt, compress=True)


def reference_of(token: str, salt: str) -> str:
    """The reference in a token made by :func:`signed_reference`; a token that was not (or was
    altered) is not found, like a record that does not exist."""
    try:
        reference: str = signing.loads(token, salt=salt)
    except signing.BadSignature as error:
        raise NotFoundError() from error
    return reference
