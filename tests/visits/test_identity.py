"""Identity documents and mobile numbers."""

from __future__ import annotations

from datetime import date

import pytest

from kepu.core.errors import ApplicationError
from kepu.visits.identity import (
    check_digit,
    normalise_mobile,
    validate_identity,
    validate_resident_id,
)
from tests.visits.conftest import resident_id


def test_gb11643_check_digit() -> None:
    # The standard's own example number.
    assert check_digit("11010519491231002") == "X"
    assert validate_resident_id("11010519491231002X") == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491331002X", "does not exist"),  # month 13
        ("1101051949123100", "18 characters"),
        ("990105194912310028", "region"),
        ("11010530001231002X", "not possible"),  # born in the future
    ],
)
def test_bad_resident_ids_say_why(number: str, reason: str) -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ApplicationError) as error:
        validate_resident_id(number)
    assert reason in " ".join(str(m) for m in error.value.fields["id_number"])


def test_other_documents() -> None:
    assert validate_identity("passport", "e 1234 5678").number == "E12345678"
    assert validate_identity("hk_macao_permit", "H12345678").number == "H12345678"
    assert validate_identity("taiwan_permit", "12345678").number == "12345678"
    assert validate_identity("permanent_residence", "USA123456789012").number == "USA123456789012"
    new_card = "9" + "11010" + "19800101" + "001"
    new_card += check_digit(new_card)
    assert validate_identity("permanent_residence", new_card).birth_date == date(1980, 1, 1)
    for id_type, number in [
        ("hk_macao_permit", "X12345678"),
        ("passport", "E1"),
        ("taiwan_permit", "1234"),
    ]:
        with pytest.raises(ApplicationError):
            validate_identity(id_type, number)


def test_child_without_id_needs_a_birth_date() -> None:
    with pytest.raises(ApplicationError) as error:
        validate_identity("none_child", "")
    assert "birth_date" in error.value.fields
    assert validate_identity("none_child", "", date(2022, 3, 1)).number == ""


def test_resident_id_helper_makes_valid_numbers() -> None:
    for serial in range(50):
        validate_resident_id(resident_id(serial))


def test_mobile_numbers() -> None:
    assert normalise_mobile("138 1234 5678") == "+8613812345678"
    assert normalise_mobile("+852 5123 4567") == "+85251234567"
    for bad in ["12345678901", "024-12345678", "abc", ""]:
        with pytest.raises(ApplicationError) as error:
            normalise_mobile(bad)
        assert "phone" in error.value.fields
