import datetime as dt
import warnings
from decimal import Decimal

import pytest

from agri_policy import agri_policy
from credit_rules.engine.validation import (
    LegacyCodeWarning,
    check_record,
    check_subject,
    coerce_row,
    coerce_subject,
)
from credit_rules.errors import RecordError
from credit_rules.records import Record, Subject

VALID_CODE = "91350100M000100Y43"
LEGACY_CODE = "91350100M0001TGQXM"

PENALTY_FIELDS = {
    "article": "《农产品质量安全法》第七十一条",
    "severity": "general",
    "band": "art71",
    "intentional": False,
    "fulfilled": True,
}

SUBJECT_ATTRIBUTES = {
    "credit_code": VALID_CODE,
    "name": "淮安区绿源家庭农场",
    "region": "淮安区",
    "registered": dt.date(2018, 5, 1),
    "products": "vegetables",
    "legal_person": "张三",
    "phone": "13800000000",
}


def _penalty(**fields: object) -> Record:
    return Record(
        "P-1", VALID_CODE, "penalty", dt.date(2025, 3, 1), {**PENALTY_FIELDS, **fields}
    )


def _subject(**attributes: object) -> Subject:
    return Subject(VALID_CODE, "family_farm", {**SUBJECT_ATTRIBUTES, **attributes})


def _reason_of(
    error: pytest.ExceptionInfo[RecordError],
) -> tuple[str | None, str | None]:
    return error.value.record_id, error.value.field


def test_a_complete_record_passes() -> None:
    """A record with every declared field of the right type raises nothing."""
    check_record(agri_policy(), _penalty())


def test_unknown_record_type_suggests_the_close_one() -> None:
    """A misspelt type is named with the declared type it is closest to."""
    record = Record("R-1", VALID_CODE, "samplng_test", dt.date(2025, 1, 1))

    with pytest.raises(RecordError, match="did you mean `sampling_test`") as error:
        check_record(agri_policy(), record)

    assert ("R-1", "type") == _reason_of(error)


def test_missing_fields_are_all_named() -> None:
    """A record lacking two fields names both, and the first as the field at fault."""
    fields = {k: v for k, v in PENALTY_FIELDS.items() if k not in ("band", "fulfilled")}
    record = Record("P-1", VALID_CODE, "penalty", dt.date(2025, 3, 1), fields)

    with pytest.raises(RecordError, match="`band`, `fulfilled`") as error:
        check_record(agri_policy(), record)

    assert ("P-1", "band") == _reason_of(error)


def test_undeclared_field_is_refused() -> None:
    """A field the type does not declare is an error, not silently kept."""
    with pytest.raises(RecordError, match="`fine` is not a field") as error:
        check_record(agri_policy(), _penalty(fine=Decimal(500)))

    assert "fine" == error.value.field


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("article", 71, "expected text"),
        ("intentional", 1, "expected `true` or `false`"),
        ("intentional", "yes", "expected `true` or `false`"),
    ],
)
def test_wrong_python_type_is_refused(field: str, value: object, expected: str) -> None:
    """Values of the wrong Python type are refused with the type expected."""
    with pytest.raises(RecordError, match=expected) as error:
        check_record(agri_policy(), _penalty(**{field: value}))

    assert field == error.value.field


def test_float_and_bool_are_not_numbers() -> None:
    """Numbers must be exact decimals: a float or a bool is refused."""
    policy = agri_policy()
    for value in (2.5, True, 3):
        record = Record(
            "C-1",
            VALID_CODE,
            "conformity_certificate",
            dt.date(2025, 1, 1),
            {"batches": value},
        )
        with pytest.raises(RecordError, match=r"decimal\.Decimal"):
            check_record(policy, record)


def test_float_hint_says_why() -> None:
    """Refusing a float explains that points must stay exact."""
    record = Record(
        "C-1",
        VALID_CODE,
        "conformity_certificate",
        dt.date(2025, 1, 1),
        {"batches": 2.5},
    )

    with pytest.raises(RecordError, match="stay exact"):
        check_record(agri_policy(), record)


def test_datetime_is_not_a_date() -> None:
    """A datetime passed as a date field is refused: records have days, not times."""
    fields = {
        "scheme": "organic",
        "valid_from": dt.datetime(2025, 1, 1, 8, 0),
        "valid_until": dt.date(2028, 1, 1),
        "revoked": False,
    }
    record = Record("Z-1", VALID_CODE, "certification", dt.date(2025, 1, 1), fields)

    with pytest.raises(RecordError, match=r"datetime\.date") as error:
        check_record(agri_policy(), record)

    assert "valid_from" == error.value.field


def test_record_date_must_be_a_date() -> None:
    """The record's own date is checked like a date field."""
    record = Record("I-1", VALID_CODE, "inspection", "2025-01-01", {"result": "ok"})  # type: ignore[arg-type]

    with pytest.raises(RecordError) as error:
        check_record(agri_policy(), record)

    assert ("I-1", "date") == _reason_of(error)


def test_enum_value_not_declared_names_the_valid_ones() -> None:
    """An unknown enum value is refused with the values the enum declares."""
    with pytest.raises(RecordError, match="`minor`, `general`, `serious`"):
        check_record(agri_policy(), _penalty(severity="grave"))


def test_complete_subject_passes() -> None:
    """A subject with every declared attribute of the right type raises nothing."""
    check_subject(agri_policy(), _subject())


def test_subject_kind_must_be_declared() -> None:
    """A subject kind outside `subject_kind` is refused with the closest kind."""
    wrong = Subject(VALID_CODE, "family-farm", SUBJECT_ATTRIBUTES)

    with pytest.raises(RecordError, match="did you mean `family_farm`") as error:
        check_subject(agri_policy(), wrong)

    assert "kind" == error.value.field


def test_invalid_credit_code_is_refused() -> None:
    """A credit code of the wrong length is refused, whatever `legacy_codes` says."""
    with pytest.raises(RecordError, match="18 characters") as error:
        check_subject(
            agri_policy(), _subject(credit_code="9132"), legacy_codes="accept"
        )

    assert "credit_code" == error.value.field


def test_legacy_code_rejected_when_asked() -> None:
    """A code failing only its check is refused under `legacy_codes="reject"`."""
    with pytest.raises(RecordError, match="check character"):
        check_subject(
            agri_policy(), _subject(credit_code=LEGACY_CODE), legacy_codes="reject"
        )


def test_legacy_code_warns_by_default() -> None:
    """By default a legacy code is kept with a `LegacyCodeWarning`."""
    with pytest.warns(LegacyCodeWarning, match=LEGACY_CODE):
        check_subject(agri_policy(), _subject(credit_code=LEGACY_CODE))


def test_legacy_code_warning_goes_to_the_sink() -> None:
    """With `on_warning`, the warning is handed over instead of issued."""
    seen: list[LegacyCodeWarning] = []

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_subject(
            agri_policy(), _subject(credit_code=LEGACY_CODE), on_warning=seen.append
        )

    assert [("credit_code", VALID_CODE)] == [(w.field, w.record_id) for w in seen]


def test_coerce_row_types_every_cell() -> None:
    """Text cells become the declared Python values."""
    row = {
        "id": "Z-1",
        "subject": VALID_CODE,
        "type": "certification",
        "date": "2025-01-01",
        "scheme": "organic",
        "valid_from": "2025-01-01",
        "valid_until": "2028-01-01",
        "revoked": "否",
        "batches": "",
    }

    record = coerce_row(agri_policy(), "certification", row)

    expected = Record(
        "Z-1",
        VALID_CODE,
        "certification",
        dt.date(2025, 1, 1),
        {
            "scheme": "organic",
            "valid_from": dt.date(2025, 1, 1),
            "valid_until": dt.date(2028, 1, 1),
            "revoked": False,
        },
    )
    assert expected == record


def test_coerce_row_reads_numbers_exactly() -> None:
    """A number cell becomes an exact decimal."""
    row = {
        "id": "C-1",
        "subject": VALID_CODE,
        "date": "2025-01-01",
        "batches": " 12.50 ",
    }

    record = coerce_row(agri_policy(), "conformity_certificate", row)

    assert Decimal("12.50") == record.field("batches")


@pytest.mark.parametrize("text", ["1e3", "1,000", "NaN", "\uff11\uff12", "twelve"])
def test_coerce_row_refuses_other_numbers(text: str) -> None:
    """Exponents, separators, NaN and full-width digits are not numbers."""
    row = {"id": "C-1", "subject": VALID_CODE, "date": "2025-01-01", "batches": text}

    with pytest.raises(RecordError, match="is not a number"):
        coerce_row(agri_policy(), "conformity_certificate", row)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("YES", True),
        ("是", True),
        ("1", True),
        ("False", False),
        ("no", False),
        ("否", False),
        ("0", False),
    ],
)
def test_coerce_row_bool_words(text: str, expected: bool) -> None:
    """The documented words read as yes and no, in any case."""
    row = {
        "id": "K-1",
        "subject": VALID_CODE,
        "date": "2025-01-01",
        "substantiated": text,
    }

    assert expected == coerce_row(agri_policy(), "complaint", row).field(
        "substantiated"
    )


def test_coerce_row_refuses_other_bool_words() -> None:
    """A word that is not yes or no is refused with the accepted words."""
    row = {
        "id": "K-1",
        "subject": VALID_CODE,
        "date": "2025-01-01",
        "substantiated": "maybe",
    }

    with pytest.raises(RecordError, match="是/否"):
        coerce_row(agri_policy(), "complaint", row)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-30", "February 2021 has 28 days"),
        ("2024-13-01", "no month 13"),
        ("2021/02/03", "YYYY-MM-DD"),
        ("20210203", "YYYY-MM-DD"),
    ],
)
def test_coerce_row_refuses_dates_that_do_not_exist(text: str, expected: str) -> None:
    """Impossible or oddly written dates are refused with the reason."""
    row = {"id": "I-1", "subject": VALID_CODE, "date": text, "result": "ok"}

    with pytest.raises(RecordError, match=expected) as error:
        coerce_row(agri_policy(), "inspection", row)

    assert ("I-1", "date") == _reason_of(error)


def test_coerce_row_leap_day_is_a_date() -> None:
    """29 February of a leap year is a date."""
    row = {"id": "I-1", "subject": VALID_CODE, "date": "2024-02-29", "result": "ok"}

    assert dt.date(2024, 2, 29) == coerce_row(agri_policy(), "inspection", row).date


def test_coerce_row_needs_an_id_and_a_subject() -> None:
    """Rows without `id` or `subject` are refused by the missing column."""
    with pytest.raises(RecordError, match="no `id`"):
        coerce_row(agri_policy(), "inspection", {"subject": "S", "date": "2025-01-01"})
    with pytest.raises(RecordError, match="no `subject`"):
        coerce_row(agri_policy(), "inspection", {"id": "I-1", "date": "2025-01-01"})


def test_coerce_row_type_cell_must_agree() -> None:
    """A `type` cell that contradicts the type asked for is refused."""
    row = {"id": "I-1", "subject": "S", "type": "penalty", "date": "2025-01-01"}

    with pytest.raises(RecordError, match="says type `penalty`"):
        coerce_row(agri_policy(), "inspection", row)


def test_coerce_row_undeclared_column_is_refused() -> None:
    """A filled cell of a field the type lacks is refused, with a suggestion."""
    row = {
        "id": "I-1",
        "subject": "S",
        "date": "2025-01-01",
        "result": "ok",
        "results": "ok",
    }

    with pytest.raises(RecordError, match="did you mean `result`") as error:
        coerce_row(agri_policy(), "inspection", row)

    assert "results" == error.value.field


def test_coerce_subject_reads_a_row() -> None:
    """A subject row becomes a checked subject with typed attributes."""
    row = {k: str(v) for k, v in SUBJECT_ATTRIBUTES.items()}
    row.update({"id": VALID_CODE, "kind": "family_farm"})

    assert _subject() == coerce_subject(agri_policy(), row)


def test_coerce_subject_refuses_legacy_code_by_default() -> None:
    """Imports reject a legacy code unless told to warn."""
    row = {k: str(v) for k, v in SUBJECT_ATTRIBUTES.items()}
    row.update({"id": "S-1", "kind": "enterprise", "credit_code": LEGACY_CODE})

    with pytest.raises(RecordError, match="check character"):
        coerce_subject(agri_policy(), row)
    seen: list[LegacyCodeWarning] = []
    coerce_subject(agri_policy(), row, legacy_codes="warn", on_warning=seen.append)
    assert 1 == len(seen)
