"""Diagnostics: coded, located, bilingual messages about a policy's source.

Each module that reports a problem defines its codes next to the code that
reports them, with an English and a Chinese template:

    >>> UNKNOWN_TYPE = define(
    ...     "X0001",
    ...     "unknown record type `{name}`",
    ...     "未知的记录类型 `{name}`",
    ...     help=("did you mean `{suggestion}`?", "是否想写 `{suggestion}`？"),
    ... )
    >>> from credit_rules.dsl.span import Span
    >>> found = UNKNOWN_TYPE.at(
    ...     Span("a.rules", 1, 4, 1, 16), name="samplng_test", suggestion="sampling_test"
    ... )
    >>> print(render([found], {"a.rules": "on samplng_test where"}))
    a.rules:1:4: error[X0001]: unknown record type `samplng_test`
     1 | on samplng_test where
       |    ^^^^^^^^^^^^
      = help: did you mean `sampling_test`?

Codes are stable: tools and tests match on them, so a code keeps its meaning
once released even if the wording of its message changes.
"""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from credit_rules.dsl.span import Span

Lang = Literal["en", "zh"]
"""A language that messages are written in."""

SourceLoader = Callable[[str], str | None]
"""Return the text of a file by its path, or `None` when it cannot be read."""

TAB_WIDTH = 4
"""Columns a tab advances to in rendered source lines."""


class Severity(enum.Enum):
    """How bad a diagnostic is: errors stop a policy from loading, warnings do not."""

    ERROR = "error"
    WARNING = "warning"

    def label(self, lang: Lang = "en") -> str:
        """Return the word for this severity in `lang`."""
        if lang == "zh":
            return "错误" if self is Severity.ERROR else "警告"
        return self.value


class _KeepMissing(dict[str, str]):
    """Format arguments that leave an unknown `{name}` in place instead of failing.

    A template and the arguments given to it are written in different places;
    a mismatch should show up in a message, not crash the report of every
    other problem.
    """

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@attrs.frozen
class Template:
    """A pair of `str.format` templates, one per language.

    Attributes:
        en: The English template.
        zh: The Chinese template.
    """

    en: str
    zh: str

    def format(self, lang: Lang, args: Mapping[str, str]) -> str:
        """Fill in the template of `lang` with `args`."""
        template = self.zh if lang == "zh" else self.en
        try:
            return template.format_map(_KeepMissing(args))
        except (ValueError, IndexError, AttributeError):
            # A malformed template (a stray brace) is shown as written.
            return template


def _to_template(value: Template | str | tuple[str, str] | None) -> Template | None:
    """Accept help as a template, one text for both languages, or an (en, zh) pair."""
    if value is None or isinstance(value, Template):
        return value
    if isinstance(value, str):
        return Template(value, value)
    en, zh = value
    return Template(en, zh)


def _freeze_args(
    args: Mapping[str, object] | Iterable[tuple[str, object]],
) -> tuple[tuple[str, str], ...]:
    """Store message arguments as sorted pairs of strings so diagnostics hash."""
    pairs = args.items() if isinstance(args, Mapping) else args
    return tuple(sorted((str(key), str(value)) for key, value in pairs))


@attrs.frozen
class MessageKind:
    """One diagnostic code with its message and, optionally, its usual help.

    Attributes:
        code: The stable code, such as `E0101`.
        text: The message templates.
        help: The help templates shown when a diagnostic brings none of its own.
        severity: The severity that `at` gives unless told otherwise.
    """

    code: str
    text: Template
    help: Template | None = None
    severity: Severity = Severity.ERROR

    def at(
        self,
        span: Span,
        *,
        severity: Severity | None = None,
        help: Template | str | tuple[str, str] | None = None,
        **args: object,
    ) -> Diagnostic:
        """Return a diagnostic of this kind at `span`.

        Args:
            span: Where in the source the problem is.
            severity: Overrides the kind's severity.
            help: Help for this one diagnostic, replacing the kind's help.
            **args: Values for the templates' `{name}` fields.

        Returns:
            The diagnostic.
        """
        return Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            span=span,
            args=args,
            help=help,
        )


class MessageRegistry:
    """Every diagnostic code that has been defined, by code."""

    def __init__(self) -> None:
        self._kinds: dict[str, MessageKind] = {}

    def define(
        self,
        code: str,
        en: str,
        zh: str,
        *,
        help: tuple[str, str] | str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> MessageKind:
        """Register a code with its English and Chinese message templates.

        Args:
            code: The stable code.
            en: The English message template.
            zh: The Chinese message template.
            help: The usual help, as an (en, zh) pair or one text for both.
            severity: The default severity of diagnostics of this kind.

        Returns:
            The message kind, whose `at` makes diagnostics.

        Raises:
            ValueError: If the code is already defined with other text.
        """
        kind = MessageKind(code, Template(en, zh), _to_template(help), severity)
        known = self._kinds.setdefault(code, kind)
        if known != kind:
            raise ValueError(
                f"diagnostic code `{code}` is defined twice; give one of them a new code"
            )
        return known

    def lookup(self, code: str) -> MessageKind | None:
        """Return the kind of `code`, or `None` if nothing defined it."""
        return self._kinds.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._kinds

    def __iter__(self) -> Iterator[MessageKind]:
        return iter(sorted(self._kinds.values(), key=lambda kind: kind.code))

    def __len__(self) -> int:
        return len(self._kinds)


MESSAGES = MessageRegistry()
"""The registry that `define` adds to and diagnostics read their text from."""


def define(
    code: str,
    en: str,
    zh: str,
    *,
    help: tuple[str, str] | str | None = None,
    severity: Severity = Severity.ERROR,
) -> MessageKind:
    """Register a diagnostic code in the shared registry; see `MessageRegistry.define`.

    Args:
        code: The stable code.
        en: The English message template.
        zh: The Chinese message template.
        help: The usual help, as an (en, zh) pair or one text for both.
        severity: The default severity of diagnostics of this kind.

    Returns:
        The message kind.
    """
    return MESSAGES.define(code, en, zh, help=help, severity=severity)


@attrs.frozen
class Diagnostic:
    """A problem found in a policy's source, with where it is and how to fix it.

    Attributes:
        code: The stable code of the problem.
        severity: Whether it is an error or a warning.
        span: Where in the source it is.
        args: Values for the message templates, as sorted pairs of strings.
        help: Help for this diagnostic; `None` falls back to the kind's help.
    """

    code: str
    severity: Severity
    span: Span
    args: tuple[tuple[str, str], ...] = attrs.field(converter=_freeze_args, default=())
    help: Template | None = attrs.field(converter=_to_template, default=None)

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic stops the policy from loading."""
        return self.severity is Severity.ERROR

    @property
    def arguments(self) -> dict[str, str]:
        """The message arguments as a dictionary."""
        return dict(self.args)

    def message(self, lang: Lang = "en") -> str:
        """Return the message in `lang`."""
        kind = MESSAGES.lookup(self.code)
        if kind is None:
            # A diagnostic read back from JSON may name a code this process
            # never defined; show its arguments rather than nothing.
            details = ", ".join(f"{key}={value}" for key, value in self.args)
            return f"{self.code}: {details}" if details else self.code
        return kind.text.format(lang, self.arguments)

    def help_text(self, lang: Lang = "en") -> str | None:
        """Return the help in `lang`, or `None` if there is none."""
        kind = MESSAGES.lookup(self.code)
        template = self.help or (kind.help if kind else None)
        return template.format(lang, self.arguments) if template else None


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file, line, column and code."""
    span = diagnostic.span
    return (span.file, span.line, span.column, diagnostic.code)


def _char_width(char: str) -> int:
    """Return how many terminal columns `char` takes."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _display(text: str) -> tuple[str, list[int]]:
    """Expand tabs in `text` and give the display column where each character starts.

    Returns:
        The text as shown, and one start column per character of `text` plus one
        for the position just past its end.
    """
    shown: list[str] = []
    starts: list[int] = []
    column = 0
    for char in text:
        starts.append(column)
        if char == "\t":
            step = TAB_WIDTH - column % TAB_WIDTH
            shown.append(" " * step)
        else:
            step = _char_width(char)
            shown.append(char)
        column += step
    starts.append(column)
    return "".join(shown), starts


def _source_line(
    file: str,
    line: int,
    sources: Mapping[str, str] | SourceLoader,
    cache: dict[str, list[str] | None],
) -> str | None:
    """Return line `line` (1-based) of `file`, or `None` if it is not available."""
    if file not in cache:
        text = sources.get(file) if isinstance(sources, Mapping) else sources(file)
        # Lines end at "\n" only, as the parser counts them.
        cache[file] = None if text is None else text.split("\n")
    lines = cache[file]
    if lines is None or not 1 <= line <= len(lines):
        return None
    return lines[line - 1].rstrip("\r")


_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
}
_BOLD = "\x1b[1m"
_BLUE = "\x1b[1;34m"
_RESET = "\x1b[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _snippet(diagnostic: Diagnostic, text: str, color: bool) -> list[str]:
    """Return the source line with a gutter and the caret line under the span."""
    span = diagnostic.span
    shown, starts = _display(text)

    first = min(max(span.column, 1), len(text) + 1) - 1
    # A span over several lines is marked up to the end of its first line.
    last = len(text) if span.end_line > span.line else span.end_column - 1
    last = min(max(last, first), len(text))
    width = max(starts[last] - starts[first], 1)

    number = str(span.line)
    gutter = " " * len(number)
    bar = _paint("|", _BLUE, color)
    carets = _paint("^" * width, _COLORS[diagnostic.severity], color)
    return [
        f" {_paint(number, _BLUE, color)} {bar} {shown}".rstrip(),
        f" {gutter} {bar} {' ' * starts[first]}{carets}",
    ]


def _render_one(
    diagnostic: Diagnostic,
    sources: Mapping[str, str] | SourceLoader,
    lang: Lang,
    color: bool,
    cache: dict[str, list[str] | None],
) -> str:
    span = diagnostic.span
    severity = diagnostic.severity.label(lang)
    where = _paint(f"{span.file}:{span.line}:{span.column}:", _BOLD, color)
    kind = _paint(f"{severity}[{diagnostic.code}]", _COLORS[diagnostic.severity], color)
    lines = [f"{where} {kind}: {_paint(diagnostic.message(lang), _BOLD, color)}"]

    text = _source_line(span.file, span.line, sources, cache)
    if text is not None:
        lines.extend(_snippet(diagnostic, text, color))

    help_text = diagnostic.help_text(lang)
    if help_text:
        label = "帮助" if lang == "zh" else "help"
        lines.append(f"  = {_paint(label, _BOLD, color)}: {help_text}")
    return "\n".join(lines)


def render(
    diagnostics: Iterable[Diagnostic],
    sources: Mapping[str, str] | SourceLoader,
    lang: Lang = "en",
    color: bool = False,
) -> str:
    """Render diagnostics for a terminal, each with its source line and a caret.

    Args:
        diagnostics: The diagnostics, in any order; they are shown sorted by
            file, line, column and code.
        sources: The text of each file by path, or a function that reads it;
            a diagnostic whose file is not available is shown without its line.
        lang: The language of the messages.
        color: Whether to use ANSI colors.

    Returns:
        The rendered text, one block per diagnostic, blocks apart by a blank
        line, without a final newline.
    """
    cache: dict[str, list[str] | None] = {}
    blocks = [
        _render_one(diagnostic, sources, lang, color, cache)
        for diagnostic in sorted(diagnostics, key=sort_key)
    ]
    return "\n\n".join(blocks)


def brief(diagnostic: Diagnostic, lang: Lang = "en") -> str:
    """Return a one-line form `path:line:col: error[CODE]: message`."""
    severity = diagnostic.severity.label(lang)
    return (
        f"{diagnostic.span}: {severity}[{diagnostic.code}]: {diagnostic.message(lang)}"
    )


def to_json(
    diagnostics: Iterable[Diagnostic], lang: Lang = "en"
) -> list[dict[str, object]]:
    """Return diagnostics as plain dictionaries for editors and other tools.

    Args:
        diagnostics: The diagnostics, in any order; they come out sorted.
        lang: The language of the messages and help.

    Returns:
        One dictionary per diagnostic with `code`, `severity`, `message`,
        `help` (or `None`), `file`, `line`, `column`, `end_line` and `end_column`.
    """
    return [
        {
            "code": diagnostic.code,
            "severity": diagnostic.severity.value,
            "message": diagnostic.message(lang),
            "help": diagnostic.help_text(lang),
            "file": diagnostic.span.file,
            "line": diagnostic.span.line,
            "column": diagnostic.span.column,
            "end_line": diagnostic.span.end_line,
            "end_column": diagnostic.span.end_column,
        }
        for diagnostic in sorted(diagnostics, key=sort_key)
    ]


def summary(diagnostics: Iterable[Diagnostic], lang: Lang = "en") -> str:
    """Return a count line such as `2 errors, 1 warning`.

    Args:
        diagnostics: The diagnostics to count.
        lang: The language of the line.

    Returns:
        The counts of errors and warnings; kinds with none are left out, and
        an empty list reads `no problems`.
    """
    counts = Counter(diagnostic.severity for diagnostic in diagnostics)
    parts: list[str] = []
    for severity in Severity:
        count = counts[severity]
        if not count:
            continue
        if lang == "zh":
            parts.append(f"{count} 个{severity.label(lang)}")
        else:
            plural = "" if count == 1 else "s"
            parts.append(f"{count} {severity.value}{plural}")
    if not parts:
        return "没有问题" if lang == "zh" else "no problems"
    return ("，" if lang == "zh" else ", ").join(parts)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Return whether any of `diagnostics` is an error."""
    return any(diagnostic.is_error for diagnostic in diagnostics)
