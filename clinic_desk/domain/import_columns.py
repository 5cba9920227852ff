"""Which CSV column is which field: the documented names and the aliases EHR exports use.

One alias table (compared folded: case, spaces, dashes and underscores ignored). A saved
mapping (the clinic setting ``csv_import_mapping``) wins over the table for the columns
it names; a column neither knows is not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_import import IMPORT_FIELDS
from clinic_desk.domain.text_rules import printable_prefix

_ALIASES: Final = {
    "mrn": (
        "mrn",
        "medical record number",
        "medical record no",
        "record number",
        "chart number",
        "chart no",
        "patient id",
        "patientid",
        "pubpid",
        "id",
        "person id",
        "account number",
    ),
    "first_name": ("first name", "first", "firstname", "given name", "given", "fname", "forename"),
    "last_name": ("last name", "last", "lastname", "surname", "family name", "family", "lname"),
    "preferred_name": ("preferred name", "nickname", "nick name", "goes by", "alias"),
    "date_of_birth": ("date of birth", "dob", "birthdate", "birth date", "birthday", "born"),
    "sex": ("sex", "gender", "administrative gender", "sex at birth"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "phone": (
        "phone",
        "phone number",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "cell phone",
        "phone cell",
        "phone home",
        "home phone",
        "mobile phone",
    ),
    "address_line1": ("address", "address line1", "address line 1", "address1", "street", "street address"),
    "address_line2": ("address line2", "address line 2", "address2", "apt", "unit", "suite"),
    "city": ("city", "town", "locality"),
    "state": ("state", "province", "region", "state code"),
    "zip_code": ("zip", "zip code", "zipcode", "postal code", "postcode", "post code", "postal"),
    # A date of death says Deceased (domain.import_rows reads a date in this field so).
    "status": (
        "status",
        "patient status",
        "deathdate",
        "death date",
        "date of death",
        "deceased date",
        "deceased",
    ),
    "preferred_language": ("preferred language", "language", "lang"),
}
_SEPARATORS = re.compile(r"[\s_\-.]+")


def column_key(name: str) -> str:
    """'Date_of-Birth ' -> 'date of birth': how column names are compared."""
    return _SEPARATORS.sub(" ", name.replace("\ufeff", "")).strip().casefold()


ALIASES: Final = {column_key(alias): field for field, names in _ALIASES.items() for alias in names}
ALIASES.update({column_key(field): field for field in IMPORT_FIELDS})
# The documented column names (README): the field names themselves.
_DOCUMENTED: Final = {column_key(field): field for field in IMPORT_FIELDS}


def guess_mapping(columns: Iterable[str], saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """Column -> field for a header: the saved mapping first, then the documented field names,
    then the alias table.

    Each field comes from one column. A column named exactly as a field (``mrn``) wins over an
    alias of it (``patient_id``, ``Id``) wherever it stands; among aliases, the first column wins.
    """
    columns = list(columns)
    saved_keys = {column_key(column): field for column, field in (saved or {}).items()}
    claims: list[tuple[int, int, str, str]] = []  # (rank, position, column, field)
    for position, column in enumerate(columns):
        key = column_key(column)
        if key in saved_keys:
            claims.append((0, position, column, saved_keys[key]))
        elif key in _DOCUMENTED:
            claims.append((1, position, column, _DOCUMENTED[key]))
        elif key in ALIASES:
            claims.append((2, position, column, ALIASES[key]))
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for _rank, _position, column, field in sorted(claims):
        if field and field not in taken and column not in chosen:  # "" saved: the column is skipped
            chosen[column] = field
            taken.add(field)
    return {column: chosen[column] for column in columns if column in chosen}  # the file's order


def clean_mapping(mapping: Mapping[str, str], columns: Iterable[str] | None = None) -> dict[str, str]:
    """A mapping staff chose, checked: known fields, each at most once, columns in the header."""
    clean: dict[str, str] = {}
    header = {column_key(column): column for column in columns} if columns is not None else None
    for column, field in mapping.items():
        if field == "":
            clean[str(column)] = ""
            continue
        if field not in IMPORT_FIELDS:
            raise ValidationError(
                f"Column mapping: '{printable_prefix(str(field), 40)}' is not a field that can be imported "
                f"(use one of {', '.join(IMPORT_FIELDS)}).",
                field="mapping",
            )
        name = str(column)
        if header is not None:
            if column_key(name) not in header:
                raise ValidationError(
                    f"Column mapping: the file has no column '{printable_prefix(name, 40)}'.", field="mapping"
                )
            name = header[column_key(name)]
        if field in clean.values():
            raise ValidationError(
                f"Column mapping: two columns are mapped to {field}; map each field once.", field="mapping"
            )
        clean[name] = field
    return clean
