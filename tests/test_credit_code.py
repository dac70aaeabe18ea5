import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit_rules.credit_code import (
    ALPHABET,
    HUAIAN_REGIONS,
    KIND_PREFIXES,
    CodeStatus,
    check_character,
    check_code,
    is_valid,
    make_code,
)

KNOWN_VALID = "91350100M000100Y43"
KNOWN_LEGACY = "91350100M0001TGQXM"


def test_known_valid_code_passes() -> None:
    """A published example code passes every check."""
    assert CodeStatus.VALID == check_code(KNOWN_VALID).status
    assert None is check_code(KNOWN_VALID).reason


def test_known_legacy_code_is_legacy_not_invalid() -> None:
    """The early code that fails its check is told apart from a non-code."""
    result = check_code(KNOWN_LEGACY)

    assert CodeStatus.LEGACY == result.status
    assert result.reason is not None
    assert "should be `1`" in result.reason
    assert not result.ok


def test_wrong_length_is_invalid() -> None:
    """A code of 17 characters is not a code at all."""
    result = check_code(KNOWN_VALID[:-1])

    assert CodeStatus.INVALID == result.status
    assert "has 17" in str(result.reason)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_invalid(letter: str) -> None:
    """The five letters the standard leaves out make a code invalid."""
    code = KNOWN_VALID[:9] + letter + KNOWN_VALID[10:]

    result = check_code(code)

    assert CodeStatus.INVALID == result.status
    assert f"`{letter}`" in str(result.reason)


def test_lower_case_is_invalid_with_a_hint() -> None:
    """A code typed in lower case is not silently upper-cased, but the fix is named."""
    result = check_code(KNOWN_VALID.lower())

    assert CodeStatus.INVALID == result.status
    assert "capitals" in str(result.reason)


def test_check_character_of_known_code() -> None:
    """The check character of the known code is its last character."""
    assert KNOWN_VALID[-1] == check_character(KNOWN_VALID[:-1])


def test_check_character_refuses_bad_input() -> None:
    """Computing a check character of something that is not 17 code characters fails."""
    with pytest.raises(ValueError, match="17 characters"):
        check_character("ABC")


@given(
    seed=st.integers(0, 2**32),
    kind=st.sampled_from(sorted(KIND_PREFIXES)),
    region=st.sampled_from(sorted(HUAIAN_REGIONS)),
)
def test_made_codes_are_valid(seed: int, kind: str, region: str) -> None:
    """Every generated code is valid and carries the kind's prefix and the region."""
    code = make_code(random.Random(seed), kind, region)

    assert is_valid(code)
    assert KIND_PREFIXES[kind] + region == code[:8]


@given(
    seed=st.integers(0, 2**32),
    position=st.integers(0, 17),
    shift=st.integers(1, 30),
)
def test_any_single_substitution_is_caught(
    seed: int, position: int, shift: int
) -> None:
    """Changing any one character of a valid code makes it fail the check."""
    code = make_code(random.Random(seed), "enterprise", "320803")
    changed = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    typo = code[:position] + changed + code[position + 1 :]

    assert CodeStatus.LEGACY == check_code(typo).status


def test_make_code_is_deterministic() -> None:
    """The same seed makes the same code."""
    first = make_code(random.Random(7), "family_farm", "320831")

    assert first == make_code(random.Random(7), "family_farm", "320831")
    assert first.startswith("92320831MA")


def test_make_code_refuses_unknown_kind_and_bad_region() -> None:
    """An unknown kind or a region that is not six digits is refused by name."""
    with pytest.raises(ValueError, match="`farm`"):
        make_code(random.Random(1), "farm", "320803")
    with pytest.raises(ValueError, match="`3208`"):
        make_code(random.Random(1), "enterprise", "3208")
