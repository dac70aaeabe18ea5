"""A fast contextual lexer for `.rules` files, for Lark's LALR parser.

Lark's own contextual lexer tries the terminals each parser state accepts, one
regular expression per state; on policies of a few hundred rules that costs more
than the parse itself. This lexer matches one combined expression per token and
decides only the one question that needs the parser: whether a word that is a
keyword somewhere (`score`, `source`, `days`) is that keyword here or a name. It is
the keyword when the parser's current state accepts the keyword, a name when it
accepts only a name, so keywords serve as names wherever that is unambiguous,
exactly as with Lark's contextual lexer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState, PatternStr, Token

# Order matters: a date before a number, a comment before anything else.
_TOKEN = re.compile(
    r"""
    (?P<WS>\s+)
  | (?P<COMMENT>\#[^\n]*)
  | (?P<STRING>"(?:[^"\\\n]|\\.)*")
  | (?P<DATE>\d{4}-\d{2}-\d{2})
  | (?P<NUMBER>[+-]?\d+(?:\.\d+)?)
  | (?P<WORD>(?!\d)\w+)
  | (?P<COMPARE>==|!=|<=|>=|<|>)
  | (?P<PUNCT>[{}()\[\],.:/%])
    """,
    re.VERBOSE,
)

_UNITS = frozenset(("day", "days", "month", "months", "year", "years"))


class RulesLexer(Lexer):
    """Lex `.rules` text for the LALR parser, asking it which words are keywords.

    Lark builds it from the grammar's terminals; see the module docstring.
    """

    __future_interface__: ClassVar[int] = 2

    def __init__(self, lexer_conf: Any) -> None:
        self.words: dict[str, str] = {}
        self.punctuation: dict[str, str] = {}
        for terminal in lexer_conf.terminals:
            pattern = terminal.pattern
            if not isinstance(pattern, PatternStr):
                continue
            value = pattern.value
            target = self.words if value.isidentifier() else self.punctuation
            target[value] = terminal.name

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        """Yield the tokens of the text, each typed for the parser's state then."""
        source: Any = lexer_state.text
        text: str = getattr(source, "text", source)
        states = parser_state.parse_conf.parse_table.states
        position, line, line_start = 0, 1, 0
        end = len(text)
        while position < end:
            match = _TOKEN.match(text, position)
            if match is None:
                column = position - line_start + 1
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text, position, line, column, state=parser_state.position
                )

            kind = match.lastgroup
            value = match.group()
            start, position = position, match.end()
            if kind in ("WS", "COMMENT"):
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = start + value.rindex("\n") + 1
                continue

            accepts = states[parser_state.position]
            column = start - line_start + 1
            yield Token(
                self._type(kind, value, accepts),
                value,
                start,
                line,
                column,
                line,
                column + len(value),
                position,
            )

    def _type(self, kind: str | None, value: str, accepts: Any) -> str:
        """Return the terminal a matched text stands for where the parser is."""
        if kind == "WORD":
            keyword = self.words.get(value)
            if value in _UNITS and "UNIT" in accepts:
                return "UNIT"
            if keyword is not None and (keyword in accepts or "NAME" not in accepts):
                return keyword
            return "NAME"

        if kind in ("COMPARE", "PUNCT"):
            return self.punctuation.get(value, kind)
        return kind or "NAME"
