"""Personal data at rest (PIPL): encryption, keyed hashes for lookup, and masking.

ID and phone numbers are stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256) and found through
a keyed hash (HMAC-SHA256) of their normalised form, so an exact lookup never decrypts a table.
Both keys are derived (HKDF) from ``KEPU_DATA_KEY``. Several keys may be given, comma-separated:
the first encrypts and indexes, all decrypt — that is how a key is rotated.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def generate_data_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def ensure_local_data_key(path: Path | None = None) -> Path:
    """Write a fresh key to the git-ignored key file unless one is set or exists (development)."""
    target = Path(path or settings.KEPU_DATA_KEY_FILE)
    if settings.KEPU_DATA_KEY or target.exists():
        return target
    target.write_text(generate_data_key() + "\n", encoding="utf-8")
    os.chmod(target, 0o600)
    data_keys.cache_clear()
    return target


@cache
def data_keys() -> tuple[bytes, ...]:
    text = settings.KEPU_DATA_KEY
    key_file = Path(settings.KEPU_DATA_KEY_FILE)
    if not text and key_file.exists():
        text = key_file.read_text(encoding="utf-8").strip()
    if not text:
        raise ImproperlyConfigured(
            "KEPU_DATA_KEY is not set: personal data cannot be encrypted. Generate one with "
            "`kepu generate-data-key` and keep it with your backups."
        )
    keys = []
    for part in text.split(","):
        try:
            raw = base64.urlsafe_b64decode(part.strip().encode())
        except ValueError as error:
            raise ImproperlyConfigured("KEPU_DATA_KEY is not valid URL-safe base64.") from error
        if len(raw) < 32:
            raise ImproperlyConfigured("KEPU_DATA_KEY must decode to at least 32 bytes.")
        keys.append(raw)
    return tuple(keys)


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kepu:" + purpose).derive(
        master
    )


@cache
def _fernet() -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(key, b"encrypt"))) for key in data_keys()]
    )


@cache
def _index_key() -> bytes:
    return _derive(data_keys()[0], b"index")


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Personal data cannot be decrypted with the configured KEPU_DATA_KEY."
        ) from error


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of the normalised value: equal inputs match, the input cannot be recovered."""
    message = f"{purpose}:{normalise(value)}".encode()
    return hmac.new(_index_key(), message, hashlib.sha256).hexdigest()


def reset_key_cache() -> None:
    data_keys.cache_clear()
    _fernet.cache_clear()
    _index_key.cache_clear()


def mask_id_number(value: str) -> str:
    """2101**********1234: the first four and last four characters stay visible."""
    value = normalise(value)
    if len(value) <= 8:
        return value[:1] + "*" * max(len(value) - 2, 0) + value[-1:] if len(value) > 2 else "**"
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    digits = normalise(value).removeprefix("+86")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """张** / J*** : the first character stays visible."""
    value = value.strip()
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
