"""Source spans: where in a `.rules` file a piece of syntax came from."""

from __future__ import annotations

import attrs


@attrs.frozen(order=True)
class Span:
    """A region of a source file, 1-based, end inclusive of the last character.

    Attributes:
        file: The path of the file as the loader was given it.
        line: Line of the first character.
        column: Column of the first character.
        end_line: Line of the last character.
        end_column: Column just past the last character.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int = 1, column: int = 1) -> Span:
        """Return an empty span at one position, for errors of a whole file."""
        return cls(file, line, column, line, column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Span("<builtin>", 0, 0, 0, 0)
"""The span of things that no source file declared."""
