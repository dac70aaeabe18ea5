import csv
import datetime as dt
import io
import json
import logging
from pathlib import Path

import attrs
import pytest

from credit_rules.dsl import load_policy
from credit_rules.errors import UsageError
from credit_rules.publish import ListEntry, mask_personal, publish
from credit_rules.records import Subject

POLICY = Path(__file__).parents[1] / "policies" / "jiangsu"
ID_CARD = "320803198001011234"
PHONE = "13912345678"
PERSON = "王秀英"
CODE = "92320803MA3AGYGL5L"

FARM = Subject(
    CODE,
    "family_farm",
    {
        "credit_code": CODE,
        "name": "淮安区绿源家庭农场",
        "region": "淮安区",
        "legal_person": PERSON,
        "phone": PHONE,
        "id_card": ID_CARD,
    },
)
ENTRY = ListEntry(
    FARM,
    "serious",
    dt.date(2026, 1, 5),
    dt.date(2029, 1, 5),
    f"行政处罚 P-1 (当事人{PERSON}的代理人电话 {PHONE}, 身份证 {ID_CARD})",
)


@pytest.mark.parametrize("format", ["csv", "json"])
def test_personal_data_never_appears(format: str) -> None:
    """ID card numbers, phone numbers and a person's name are in no published byte."""
    text = publish(load_policy(POLICY), [ENTRY], "serious", format)  # type: ignore[arg-type]

    assert ID_CARD not in text
    assert PHONE not in text
    assert CODE in text
    assert "淮安区绿源家庭农场" in text
    assert PERSON not in text
    assert "legal_person" not in text
    assert "phone" not in text


def test_csv_has_the_public_columns_only() -> None:
    """The CSV has list, name, code, reason and dates, in that order."""
    text = publish(load_policy(POLICY), [ENTRY], "serious")

    rows = list(csv.DictReader(io.StringIO(text)))
    assert ["list", "name", "credit_code", "reason", "since", "until"] == list(rows[0])
    assert ("2026-01-05", "2029-01-05") == (rows[0]["since"], rows[0]["until"])


def test_json_is_an_array_of_entries() -> None:
    """The JSON form holds one object per entry of the list asked for."""
    other = ListEntry(FARM, "red", dt.date(2025, 1, 1), None, "三年无违法")

    rows = json.loads(publish(load_policy(POLICY), [ENTRY, other], "red", "json"))

    assert [{"list": "red", "name": "淮安区绿源家庭农场", "credit_code": CODE,
             "reason": "三年无违法", "since": "2025-01-01", "until": ""}] == rows  # fmt: skip


def test_a_policy_asking_for_personal_data_does_not_get_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A `publish` clause naming `legal_person` is overruled, with a warning."""
    policy = load_policy(POLICY)
    decl = policy.lists["serious"]
    leaky = attrs.evolve(
        policy,
        lists={
            **policy.lists,
            "serious": attrs.evolve(decl, publish=("name", "legal_person", "region")),
        },
    )

    with caplog.at_level(logging.WARNING, logger="credit_rules.publish"):
        text = publish(leaky, [ENTRY], "serious")

    assert PERSON not in text
    assert "region" in text.splitlines()[0]
    assert "personal data" in caplog.text


def test_unknown_list_names_the_lists() -> None:
    """Asking for a list the policy lacks is a usage error naming the lists."""
    with pytest.raises(UsageError, match="`red`"):
        publish(load_policy(POLICY), [ENTRY], "blacklist")


def test_mask_keeps_credit_codes() -> None:
    """Masking hides ID card and mobile numbers but not codes or short numbers."""
    text = f"{CODE} 2000元 {PHONE} {ID_CARD}"

    assert f"{CODE} 2000元 {'*' * 11} {'*' * 18}" == mask_personal(text)
