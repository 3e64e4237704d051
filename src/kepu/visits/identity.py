"""Identity documents and mobile numbers of visitors: validation and normal forms.

Resident identity card numbers follow GB 11643-1999: 17 digits (region, birth date, sequence) and a
check digit computed with the ISO 7064 MOD 11-2 weights; the other documents are checked for
their published formats. Every refusal says what is wrong in the visitor's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core.errors import ApplicationError


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", gettext_lazy("Resident identity card")
    PASSPORT = "passport", gettext_lazy("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", gettext_lazy("Mainland travel permit (Hong Kong/Macao)")
    TAIWAN_PERMIT = "taiwan_permit", gettext_lazy("Mainland travel permit (Taiwan)")
    PERMANENT_RESIDENCE = (
        "permanent_residence",
        gettext_lazy("Foreigner's permanent residence ID card"),
    )
    NONE_CHILD = "none_child", gettext_lazy("No ID (young child)")


CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
# First two digits of GB/T 2260 province-level codes, with 81/82/83 for the residence permits of
# Hong Kong, Macao and Taiwan residents (2018) and 91 unused.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
PATTERNS = {
    IdType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
    IdType.HK_MACAO_PERMIT: re.compile(r"^[HM]\d{8}(\d{2})?$"),
    IdType.TAIWAN_PERMIT: re.compile(r"^\d{8}(\d{2})?$"),
    IdType.PERMANENT_RESIDENCE: re.compile(r"^([A-Z]{3}\d{12}|9\d{16}[0-9X])$"),
}


@dataclass(frozen=True)
class Identity:
    id_type: str
    number: str  # normalised: no spaces, upper case; "" for a child without ID
    birth_date: date | None  # from the number where it says, else as declared

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def check_digit(first_17: str) -> str:
    return CHECK_CODES[sum(int(d) * w for d, w in zip(first_17, CHECK_WEIGHTS, strict=True)) % 11]


def _birth_date(digits: str, field: str) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as error:
        raise ApplicationError.for_field(
            field, _("The birth date in this ID number does not exist.")
        ) from error
    if born > timezone.localdate() or born.year < 1900:
        raise ApplicationError.for_field(
            field, _("The birth date in this ID number is not possible.")
        )
    return born


def validate_resident_id(number: str, field: str = "id_number") -> date:
    """The birth date of a valid resident ID number; a clear error otherwise."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ApplicationError.for_field(
            field, _("A resident ID number has 18 characters: 17 digits and a digit or X.")
        )
    if number[:2] not in PROVINCE_PREFIXES:
        raise ApplicationError.for_field(field, _("This ID number has no valid region code."))
    born = _birth_date(number[6:14], field)
    if check_digit(number[:17]) != number[17]:
        raise ApplicationError.for_field(
            field, _("This ID number's check digit is wrong; please check every digit.")
        )
    return born


def normalise_number(value: str) -> str:
    return "".join(value.split()).upper()


def validate_identity(
    id_type: str, number: str, declared_birth_date: date | None = None, field: str = "id_number"
) -> Identity:
    if id_type not in IdType.values:
        raise ApplicationError.for_field("id_type", _("Choose a type of identity document."))
    number = normalise_number(number)
    if id_type == IdType.NONE_CHILD:
        if declared_birth_date is None:
            raise ApplicationError.for_field("birth_date", _("Give the child's date of birth."))
        return Identity(id_type, "", declared_birth_date)
    if not number:
        raise ApplicationError.for_field(field, _("Enter the ID number."))
    if id_type == IdType.RESIDENT_ID:
        return Identity(id_type, number, validate_resident_id(number, field))
    if not PATTERNS[IdType(id_type)].fullmatch(number):
        raise ApplicationError.for_field(
            field, _("This number does not match the document's format.")
        )
    if id_type == IdType.PERMANENT_RESIDENCE and len(number) == 18:
        if check_digit(number[:17]) != number[17]:
            raise ApplicationError.for_field(
                field, _("This ID number's check digit is wrong; please check every digit.")
            )
        return Identity(id_type, number, _birth_date(number[6:14], field))
    return Identity(id_type, number, declared_birth_date)


def normalise_mobile(value: str, field: str = "phone") -> str:
    """A mobile number in E.164 (+8613812345678); mainland numbers may omit +86."""
    text = value.strip()
    if not text:
        raise ApplicationError.for_field(field, _("Enter a mobile number."))
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise ApplicationError.for_field(field, _("This is not a phone number.")) from error
    mobile_types = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if (
        not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in mobile_types
    ):
        raise ApplicationError.for_field(field, _("Enter a valid mobile number, e.g. 13812345678."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
