"""The unified social credit code (统一社会信用代码, GB 32100-2015).

A code has 18 characters: the registration authority (position 1), the subject type
(2), the region of registration as a GB/T 2260 code (3-8), the organisation code
(9-17, GB 11714) and a check character (18). The alphabet has 31 characters; the
check character makes the weighted sum of all 18 values divisible by 31.

Some codes issued early on are legal and in use but fail the check (the standard's
own commentary mentions them), so `check_code` tells a *legacy* code, which fails
only the check, apart from an *invalid* one, which cannot be a code at all. Callers
then choose to warn or to reject.

Example:
    >>> check_code("91350100M000100Y43").status
    <CodeStatus.VALID: 'valid'>
    >>> check_code("91350100M0001TGQXM").status
    <CodeStatus.LEGACY: 'legacy'>
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping

import attrs

__all__ = [
    "ALPHABET",
    "HUAIAN_REGIONS",
    "KIND_PREFIXES",
    "CodeCheck",
    "CodeStatus",
    "check_character",
    "check_code",
    "is_valid",
    "make_code",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a code, in the order of their values 0-30 (no I, O, S, V, Z)."""

LENGTH = 18

SERIALS = 31**6
"""How many different organisation codes `make_code` can make in one region."""

_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(LENGTH - 1))

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

KIND_PREFIXES: Mapping[str, str] = {
    "enterprise": "91",
    "cooperative": "93",
    "family_farm": "92",
}
"""Registration authority and subject type digits by subject kind.

`9` is the market regulation authority (工商); `1` a company, `3` a farmers'
cooperative, `2` an individual business (个体工商户), which is how most family farms
register. A family farm registered as a company has `91`; the generator uses `92`.
"""

HUAIAN_REGIONS: Mapping[str, str] = {
    "320802": "清江浦区",
    "320803": "淮安区",
    "320804": "淮阴区",
    "320813": "洪泽区",
    "320826": "涟水县",
    "320830": "盱眙县",
    "320831": "金湖县",
    "320891": "淮安经济技术开发区",
    "320892": "淮安生态文旅区",
    "320893": "淮安工业园区",
}
"""GB/T 2260 codes of Huai'an's districts and counties, and its three zones.

The seven districts and counties are official GB/T 2260 codes. The codes of the
development zone, the eco-tourism zone and the industrial park (`320891` to
`320893`) are an assumption: such zones are not in GB/T 2260, and registrations
there carry a code that the city assigns.
"""


class CodeStatus(enum.Enum):
    """What `check_code` found."""

    VALID = "valid"
    """Length, alphabet and check character are all right."""

    LEGACY = "legacy"
    """Length and alphabet are right but the check character is not, as in some
    codes issued early on."""

    INVALID = "invalid"
    """Not a code: wrong length or a character outside the alphabet."""


@attrs.frozen
class CodeCheck:
    """The outcome of checking one code.

    Attributes:
        code: The code as given.
        status: Valid, legacy or invalid.
        reason: Why it is not valid, as a lowercase sentence; None when valid.
    """

    code: str
    status: CodeStatus
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the code passed every check."""
        return self.status is CodeStatus.VALID


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    Args:
        first17: Seventeen characters of the alphabet.

    Returns:
        The eighteenth character.

    Raises:
        ValueError: If `first17` is not 17 characters of the alphabet.

    Example:
        >>> check_character("91350100M000100Y4")
        '3'
    """
    if len(first17) != LENGTH - 1 or any(c not in _VALUES for c in first17):
        raise ValueError(f"`{first17}` is not 17 characters of the code alphabet")
    total = sum(_VALUES[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def check_code(code: str) -> CodeCheck:
    """Check a unified social credit code.

    Args:
        code: The code as written; it is not trimmed or upper-cased, since a
            legal record keeps what was entered.

    Returns:
        The status and, unless valid, the reason.

    Example:
        >>> check_code("91350100M000100Y4").reason
        'a unified social credit code has 18 characters, `91350100M000100Y4` has 17'
    """
    if len(code) != LENGTH:
        return CodeCheck(
            code,
            CodeStatus.INVALID,
            f"a unified social credit code has 18 characters, `{code}` has {len(code)}",
        )

    bad = sorted({c for c in code if c not in _VALUES})
    if bad:
        shown = ", ".join(f"`{c}`" for c in bad)
        hint = "; write letters in capitals" if any(c.islower() for c in bad) else ""
        return CodeCheck(
            code,
            CodeStatus.INVALID,
            f"`{code}` has {shown}, which a unified social credit code never "
            f"contains (it has no I, O, S, V or Z){hint}",
        )

    expected = check_character(code[:-1])
    if code[-1] != expected:
        return CodeCheck(
            code,
            CodeStatus.LEGACY,
            f"the check character of `{code}` should be `{expected}`; it may be "
            "an early code that fails the check, or a typing error",
        )
    return CodeCheck(code, CodeStatus.VALID)


def is_valid(code: str) -> bool:
    """Return whether `code` passes every check, the check character included.

    Example:
        >>> is_valid("91350100M000100Y43"), is_valid("91350100M0001TGQXM")
        (True, False)
    """
    return check_code(code).ok


def _organisation_code(rng: random.Random, serial: int | None) -> str:
    """Return a nine-character organisation code with its GB 11714 check digit.

    Codes issued since 2015 start with `MA` followed by a running number; the
    generator imitates that.
    """
    if serial is None:
        serial = rng.randrange(SERIALS)
    if not 0 <= serial < SERIALS:
        raise ValueError(f"serial {serial} is not between 0 and 31**6 - 1")
    digits = []
    for _ in range(6):
        serial, digit = divmod(serial, 31)
        digits.append(_ORG_ALPHABET[digit])
    body = "MA" + "".join(reversed(digits))
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _org_value(char: str) -> int:
    """The value of a character in GB 11714: digits as such, A=10 ... Z=35."""
    return int(char, 36)


def make_code(
    rng: random.Random, kind: str, region_code: str, *, serial: int | None = None
) -> str:
    """Make a valid code for a subject of `kind` registered in `region_code`.

    Args:
        rng: The source of randomness; the same state gives the same code.
        kind: A subject kind of `KIND_PREFIXES`.
        region_code: A six-digit GB/T 2260 region code, such as `320803`.
        serial: A number below 31**6 that the organisation code encodes, so that
            different serials give different codes; random when None.

    Returns:
        An 18-character code whose check character is right.

    Raises:
        ValueError: If `kind` or `region_code` is not usable.

    Example:
        >>> code = make_code(random.Random(1), "cooperative", "320803")
        >>> code[:8], is_valid(code)
        ('93320803', True)
    """
    if kind not in KIND_PREFIXES:
        known = ", ".join(f"`{k}`" for k in KIND_PREFIXES)
        raise ValueError(
            f"no code prefix for subject kind `{kind}`; use one of {known}"
        )
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise ValueError(f"`{region_code}` is not a six-digit GB/T 2260 region code")

    first17 = KIND_PREFIXES[kind] + region_code + _organisation_code(rng, serial)
    return first17 + check_character(first17)
