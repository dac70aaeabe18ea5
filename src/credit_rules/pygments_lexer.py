"""Syntax highlighting of `.rules` files for Pygments, which the docs use.

Pygments finds the lexer through the `pygments.lexers` entry point of this
package. Nothing in `credit_rules` imports this module, so the library itself
runs without Pygments; only the documentation build needs it.

Example:
    >>> from pygments.token import Keyword
    >>> (Keyword.Declaration, "rule") in RulesLexer().get_tokens("rule r {}")
    True
"""

from __future__ import annotations

from typing import ClassVar

# Pygments ships no type information, and the library does not depend on it.
from pygments.lexer import RegexLexer, words  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["RulesLexer"]

_DECLARATIONS = (
    "policy", "import", "enum", "record", "subject", "score", "group", "rule",
    "tiers", "veto", "supervision", "list", "effect", "repair", "override",
    "remove",
)  # fmt: skip
_STATEMENTS = (
    "extends", "version", "source", "note", "assumed", "base", "range", "to",
    "rounding", "at", "most", "least", "on", "points", "within", "each", "in",
    "counts", "for", "from", "until", "forever", "none", "when", "otherwise",
    "start", "forces", "locked", "inspections", "sampling", "per", "enter",
    "stay", "leave", "publish", "incentive", "sanction", "lasts", "after",
    "requires", "unless", "where",
)  # fmt: skip
_CONDITIONS = ("and", "or", "not", "any", "count", "listed", "active")
_UNITS = ("days", "day", "months", "month", "years", "year")


class RulesLexer(RegexLexer):  # type: ignore[misc]
    """A lexer for `.rules` policy files, Chinese names and labels included."""

    name = "credit-rules"
    aliases: ClassVar[list[str]] = ["rules", "credit-rules"]
    filenames: ClassVar[list[str]] = ["*.rules"]
    mimetypes: ClassVar[list[str]] = ["text/x-credit-rules"]

    tokens: ClassVar[dict[str, list[object]]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"', String.Double, "string"),
            (r"\d{4}-\d{2}-\d{2}\b", Literal.Date),
            (r"[+-]?\d+(\.\d+)?%?", Number),
            (words(_DECLARATIONS, suffix=r"\b"), Keyword.Declaration),
            (words(_STATEMENTS, suffix=r"\b"), Keyword),
            (words(_CONDITIONS, suffix=r"\b"), Operator.Word),
            (words(("true", "false", "score", "tier"), suffix=r"\b"), Keyword.Constant),
            (words(_UNITS, suffix=r"\b"), Keyword.Type),
            (r"==|!=|<=|>=|<|>", Operator),
            (r"[{}()\[\],.:/]", Punctuation),
            (r"(?!\d)\w+", Name),
        ],
        "string": [
            (r"\\.", String.Escape),
            (r'"', String.Double, "#pop"),
            (r'[^"\\\n]+', String.Double),
            (r"\n", String.Double, "#pop"),
        ],
    }
