"""Personal data at rest: encryption, keyed lookup hashes, masking, key rotation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from kepu.core import crypto

ID_NUMBER = "11010519491231002X"


@pytest.fixture(autouse=True)
def fresh_keys() -> None:
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def test_encryption_round_trip_hides_the_value() -> None:
    token = crypto.encrypt(ID_NUMBER)
    assert ID_NUMBER not in token and "1949" not in token
    assert crypto.decrypt(token) == ID_NUMBER
    assert crypto.encrypt(ID_NUMBER) != token  # a fresh nonce every time


def test_blind_index_matches_equal_values_only() -> None:
    index = crypto.blind_index(ID_NUMBER, purpose="id")
    assert index == crypto.blind_index(" 11010519491231002x ", purpose="id")
    assert index != crypto.blind_index(ID_NUMBER, purpose="phone")
    assert index != crypto.blind_index("110105194912310021", purpose="id")
    assert ID_NUMBER not in index


def test_the_index_depends_on_the_key() -> None:
    first = crypto.blind_index(ID_NUMBER, purpose="id")
    with override_settings(KEPU_DATA_KEY=crypto.generate_data_key()):
        crypto.reset_key_cache()
        assert crypto.blind_index(ID_NUMBER, purpose="id") != first


def test_rotation_keeps_old_tokens_readable() -> None:
    old_key, new_key = crypto.generate_data_key(), crypto.generate_data_key()
    with override_settings(KEPU_DATA_KEY=old_key):
        crypto.reset_key_cache()
        token = crypto.encrypt("13812345678")
    with override_settings(KEPU_DATA_KEY=f"{new_key},{old_key}"):
        crypto.reset_key_cache()
        assert crypto.decrypt(token) == "13812345678"
    with override_settings(KEPU_DATA_KEY=new_key):
        crypto.reset_key_cache()
        with pytest.raises(ImproperlyConfigured):
            crypto.decrypt(token)


def test_missing_or_bad_key_is_a_clear_configuration_error(tmp_path: object) -> None:
    with override_settings(KEPU_DATA_KEY="", KEPU_DATA_KEY_FILE="/nonexistent/key"):
        crypto.reset_key_cache()
        with pytest.raises(ImproperlyConfigured, match="KEPU_DATA_KEY is not set"):
            crypto.encrypt("x")
    with override_settings(KEPU_DATA_KEY="c2hvcnQ="):
        crypto.reset_key_cache()
        with pytest.raises(ImproperlyConfigured, match="32 bytes"):
            crypto.encrypt("x")


def test_local_key_file_is_created_once_and_private(tmp_path: object) -> None:
    from pathlib import Path

    key_file = Path(str(tmp_path)) / ".kepu-data-key"
    with override_settings(KEPU_DATA_KEY="", KEPU_DATA_KEY_FILE=key_file):
        crypto.ensure_local_data_key()
        first = key_file.read_text()
        crypto.ensure_local_data_key()
        assert key_file.read_text() == first
        assert key_file.stat().st_mode & 0o777 == 0o600
        assert crypto.decrypt(crypto.encrypt("张三")) == "张三"


@pytest.mark.parametrize(
    ("value", "masked"),
    [("210102198001011234", "2101**********1234"), ("E12345678", "E123*5678")],
)
def test_id_masks(value: str, masked: str) -> None:
    assert crypto.mask_id_number(value) == masked


def test_phone_and_name_masks() -> None:
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("+86 138 1234 5678") == "138****5678"
    assert crypto.mask_name("张三") == "张*"
    assert crypto.mask_name("欧阳修") == "欧**"
