"""Load a policy: read its `.rules` files, resolve layers and imports, merge.

A policy is a folder of `.rules` files, one of which holds the `policy` header. A
header's `extends "../jiangsu"` names the folder of the layer below, relative to
the policy's own folder; `import stdlib.agri` brings in a module of the standard
library. Layers merge bottom up: a layer may declare new things, `override` an
inherited declaration (which must exist) or `remove` one. Every declaration keeps
the name of the layer that declared it.

A single `.rules` file can be loaded as a policy on its own; it needs no header.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.diagnostics import Diagnostic, Severity, define
from credit_rules.dsl.parser import decode, parse_collect
from credit_rules.dsl.policy import Policy
from credit_rules.dsl.span import Span
from credit_rules.errors import PolicyError

MAX_LAYERS = 8
"""The deepest chain of `extends` accepted."""

MAX_FILES = 200
"""The most `.rules` files one policy folder may hold."""

STDLIB_LAYER = "stdlib"
"""The layer name of declarations from the standard library."""

NOT_FOUND = define(
    "E1001",
    "`{path}` does not exist",
    "`{path}` 不存在",
    help=(
        "give the folder of a policy or a `.rules` file",
        "请给出政策目录或 `.rules` 文件",
    ),
)
NO_RULES = define(
    "E1002",
    "the folder `{path}` holds no `.rules` file",
    "目录 `{path}` 中没有 `.rules` 文件",
)
NO_HEADER = define(
    "E1003",
    "the policy in `{path}` has no `policy` header",
    "`{path}` 中的政策缺少 `policy` 声明",
    help=(
        'add `policy NAME "标签" / "label" { }` to one of its files',
        '请在其中一个文件中加入 `policy NAME "标签" / "label" { }`',
    ),
)
TWO_HEADERS = define(
    "E1004",
    "a policy has one `policy` header; this is a second one",
    "一个政策只能有一个 `policy` 声明；这是第二个",
    help=("the first is at {first}", "第一个位于 {first}"),
)
EXTENDS_MISSING = define(
    "E1005",
    "the policy to extend, `{path}`, does not exist",
    "要继承的政策 `{path}` 不存在",
    help=("the path is relative to this policy's folder", "路径相对于本政策所在目录"),
)
EXTENDS_CYCLE = define(
    "E1006",
    "policies extend each other in a circle: {path}",
    "政策之间循环继承：{path}",
)
TOO_MANY_LAYERS = define(
    "E1007",
    "more than {limit} layers of `extends`",
    "`extends` 层级超过 {limit} 层",
)
UNKNOWN_MODULE = define(
    "E1008",
    "unknown module `{module}`",
    "未知模块 `{module}`",
    help=("the standard library has: {known}", "标准库包含：{known}"),
)
DUPLICATE = define(
    "E1009",
    "{kind} `{name}` is declared twice",
    "{kind} `{name}` 被声明了两次",
    help=("the first is at {first}", "第一个位于 {first}"),
)
REDECLARED = define(
    "E1010",
    "{kind} `{name}` is already declared by the layer `{layer}`",
    "{kind} `{name}` 已在 `{layer}` 层中声明",
    help=(
        "write `override {kind} {name}` to replace it, or choose a new name",
        "如需替换，请写 `override {kind} {name}`；否则请另起名称",
    ),
)
NOTHING_TO_OVERRIDE = define(
    "E1011",
    "there is no inherited {kind} `{name}` to {action}",
    "没有可{action}的继承{kind} `{name}`",
    help=("{suggestion}", "{suggestion}"),
)
TOO_MANY_FILES = define(
    "E1012",
    "the folder `{path}` holds {count} `.rules` files; at most {limit} are read",
    "目录 `{path}` 中有 {count} 个 `.rules` 文件；最多读取 {limit} 个",
)
EMPTY_FILE = define(
    "W1013",
    "`{path}` is empty",
    "`{path}` 是空文件",
    help=(
        "remove the file, or write declarations in it",
        "请删除该文件，或在其中写入声明",
    ),
    severity=Severity.WARNING,
)
UNREADABLE = define(
    "E1014",
    "`{path}` cannot be read: {reason}",
    "无法读取 `{path}`：{reason}",
)


@attrs.define
class _Layer:
    """The declarations of one layer as they are merged, in order."""

    name: str
    header: ast.PolicyHeader
    entries: dict[tuple[str, str], ast.Declaration] = attrs.field(factory=dict)
    supervision_front: list[str] = attrs.field(factory=list)


@attrs.define
class Loader:
    """Loads policies, collecting every diagnostic instead of stopping at one."""

    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    sources: dict[str, str] = attrs.field(factory=dict)
    _stdlib: dict[str, ast.Module | None] = attrs.field(factory=dict)

    def load(self, path: str) -> Policy | None:
        """Load the policy at `path`; None if it is too broken to merge."""
        merged = self._load_layer(path, chain=())
        if merged is None:
            return None
        layer, layers = merged
        return _policy(layer, layers, path, self.sources)

    # ---- files --------------------------------------------------------------------

    def _read_modules(self, path: str) -> list[ast.Module] | None:
        target = Path(path)
        if not target.exists():
            self.diagnostics.append(NOT_FOUND.at(Span.point(path), path=path))
            return None

        if target.is_file():
            files = [path]
        else:
            try:
                names = os.listdir(path)
            except OSError as error:
                reason = error.strerror or type(error).__name__
                self.diagnostics.append(
                    UNREADABLE.at(Span.point(path), path=path, reason=reason)
                )
                return None
            files = sorted(
                os.path.join(path, name)
                for name in names
                if name.endswith(".rules") and os.path.isfile(os.path.join(path, name))
            )
            if not files:
                self.diagnostics.append(NO_RULES.at(Span.point(path), path=path))
                return None
            if len(files) > MAX_FILES:
                self.diagnostics.append(
                    TOO_MANY_FILES.at(
                        Span.point(path), path=path, count=len(files), limit=MAX_FILES
                    )
                )
                files = files[:MAX_FILES]

        return [m for m in (self._read_file(f) for f in files) if m is not None]

    def _read_file(self, path: str) -> ast.Module | None:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.diagnostics.append(
                UNREADABLE.at(Span.point(path), path=path, reason=reason)
            )
            return None

        text, problems = decode(data, path)
        self.diagnostics.extend(problems)
        if text is None:
            return None

        return self._parse(text, path)

    def _parse(self, text: str, path: str) -> ast.Module:
        self.sources[path] = text
        if not text.strip():
            self.diagnostics.append(EMPTY_FILE.at(Span.point(path), path=path))
        module, problems = parse_collect(text, path)
        self.diagnostics.extend(problems)
        return module

    def _stdlib_module(self, name: str) -> ast.Module | None:
        if name not in self._stdlib:
            resource = resources.files("credit_rules.stdlib").joinpath(f"{name}.rules")
            if resource.is_file():
                display = f"<stdlib>/{name}.rules"
                self._stdlib[name] = self._parse(resource.read_text("utf-8"), display)
            else:
                self._stdlib[name] = None
        return self._stdlib[name]

    # ---- layers ----------------------------------------------------------------------

    def _load_layer(
        self, path: str, chain: tuple[str, ...]
    ) -> tuple[_Layer, tuple[str, ...]] | None:
        modules = self._read_modules(path)
        if modules is None:
            return None

        header = self._header(modules, path)
        if header is None:
            return None

        items = [item for module in modules for item in module.items]
        base = self._base(header, path, chain)
        if base is None and header.extends is not None:
            return None

        layer = _Layer(header.name, header)
        inherited: tuple[str, ...] = ()
        if base is not None:
            below, inherited = base
            layer.entries = dict(below.entries)
            layer.supervision_front = list(below.supervision_front)

        for imported in (i for i in items if isinstance(i, ast.Import)):
            self._import(layer, imported)
            if STDLIB_LAYER not in inherited:
                inherited = (STDLIB_LAYER, *inherited)

        own_supervision: list[str] = []
        for item in items:
            self._merge(layer, item, own_supervision)
        layer.supervision_front = own_supervision + [
            name for name in layer.supervision_front if name not in own_supervision
        ]
        return layer, (*inherited, header.name)

    def _header(self, modules: list[ast.Module], path: str) -> ast.PolicyHeader | None:
        headers = [
            i for m in modules for i in m.items if isinstance(i, ast.PolicyHeader)
        ]
        for extra in headers[1:]:
            self.diagnostics.append(
                TWO_HEADERS.at(extra.span, first=str(headers[0].span))
            )
        if headers:
            return attrs.evolve(headers[0], layer=headers[0].name)

        if Path(path).is_file():
            name = Path(path).stem
            return ast.PolicyHeader(name, span=Span.point(path), layer=name)

        self.diagnostics.append(NO_HEADER.at(Span.point(path), path=path))
        return None

    def _base(
        self, header: ast.PolicyHeader, path: str, chain: tuple[str, ...]
    ) -> tuple[_Layer, tuple[str, ...]] | None:
        if header.extends is None:
            return None

        folder = path if Path(path).is_dir() else os.path.dirname(path)
        target = os.path.normpath(os.path.join(folder, header.extends))
        here = os.path.realpath(path)
        if os.path.realpath(target) in (*chain, here):
            circle = " → ".join((*chain, here, os.path.realpath(target)))
            self.diagnostics.append(EXTENDS_CYCLE.at(header.span, path=circle))
            return None

        if len(chain) >= MAX_LAYERS:
            self.diagnostics.append(TOO_MANY_LAYERS.at(header.span, limit=MAX_LAYERS))
            return None

        if not os.path.exists(target):
            self.diagnostics.append(
                EXTENDS_MISSING.at(header.span, path=header.extends)
            )
            return None

        return self._load_layer(target, (*chain, here))

    def _import(self, layer: _Layer, item: ast.Import) -> None:
        parts = item.module.split(".")
        known = sorted(
            entry.name.removesuffix(".rules")
            for entry in resources.files("credit_rules.stdlib").iterdir()
            if entry.name.endswith(".rules")
        )
        module = self._stdlib_module(parts[1]) if len(parts) == 2 else None
        if parts[0] != STDLIB_LAYER or module is None:
            names = ", ".join(f"`stdlib.{k}`" for k in known) or "nothing"
            self.diagnostics.append(
                UNKNOWN_MODULE.at(item.span, module=item.module, known=names)
            )
            return

        for decl in module.items:
            if isinstance(
                decl, ast.Import | ast.PolicyHeader | ast.Override | ast.Remove
            ):
                continue
            key = ast.key_of(decl)
            layer.entries.setdefault(key, attrs.evolve(decl, layer=STDLIB_LAYER))

    def _merge(self, layer: _Layer, item: ast.Item, own_supervision: list[str]) -> None:
        if isinstance(item, ast.PolicyHeader | ast.Import):
            return

        if isinstance(item, ast.Remove):
            self._remove(layer, item)
            return

        overriding = isinstance(item, ast.Override)
        decl = item.decl if isinstance(item, ast.Override) else item
        decl = attrs.evolve(decl, layer=layer.name)
        key = ast.key_of(decl)
        known = layer.entries.get(key)
        kind, name = key
        label = name or kind
        if overriding and (known is None or known.layer == layer.name):
            suggestion = _suggest(name, [n for k, n in layer.entries if k == kind])
            self.diagnostics.append(
                NOTHING_TO_OVERRIDE.at(
                    item.span,
                    kind=kind,
                    name=label,
                    action="override",
                    suggestion=suggestion,
                )
            )
            return

        if not overriding and known is not None:
            if known.layer == layer.name:
                self.diagnostics.append(
                    DUPLICATE.at(
                        decl.span, kind=kind, name=label, first=str(known.span)
                    )
                )
            else:
                self.diagnostics.append(
                    REDECLARED.at(decl.span, kind=kind, name=label, layer=known.layer)
                )
            return

        layer.entries[key] = decl
        if kind == "supervision" and not overriding:
            own_supervision.append(name)

    def _remove(self, layer: _Layer, item: ast.Remove) -> None:
        key = (item.kind, item.name)
        known = layer.entries.get(key)
        if known is None or known.layer == layer.name:
            suggestion = _suggest(
                item.name, [n for k, n in layer.entries if k == item.kind]
            )
            self.diagnostics.append(
                NOTHING_TO_OVERRIDE.at(
                    item.span,
                    kind=item.kind,
                    name=item.name,
                    action="remove",
                    suggestion=suggestion,
                )
            )
            return
        del layer.entries[key]
        if item.name in layer.supervision_front and item.kind == "supervision":
            layer.supervision_front.remove(item.name)


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1)
    if close:
        return f"did you mean `{close[0]}`?"
    return "only inherited declarations can be overridden or removed"


def _policy(
    layer: _Layer, layers: tuple[str, ...], root: str, sources: dict[str, str]
) -> Policy:
    def of(kind: str) -> dict[str, ast.Declaration]:
        return {name: d for (k, name), d in layer.entries.items() if k == kind}

    supervision = of("supervision")
    ordered = [n for n in layer.supervision_front if n in supervision]
    ordered += [n for n in supervision if n not in ordered]
    return Policy(
        name=layer.header.name,
        header=layer.header,
        root=root,
        layers=layers,
        enums=of("enum"),  # type: ignore[arg-type]
        records=of("record"),  # type: ignore[arg-type]
        subject=layer.entries.get(("subject", "")),  # type: ignore[arg-type]
        score=layer.entries.get(("score", "")),  # type: ignore[arg-type]
        groups=of("group"),  # type: ignore[arg-type]
        rules=of("rule"),  # type: ignore[arg-type]
        tiers=layer.entries.get(("tiers", "")),  # type: ignore[arg-type]
        vetoes=of("veto"),  # type: ignore[arg-type]
        supervision={n: supervision[n] for n in ordered},  # type: ignore[misc]
        lists=of("list"),  # type: ignore[arg-type]
        effects=of("effect"),  # type: ignore[arg-type]
        repairs=of("repair"),  # type: ignore[arg-type]
        sources=dict(sources),
    )


def load_collect(
    path: str | os.PathLike[str],
) -> tuple[Policy | None, list[Diagnostic]]:
    """Load a policy without checking it; return it with every diagnostic found.

    The policy is None when it is too broken to merge.
    """
    loader = Loader()
    policy = loader.load(os.fspath(path))
    return policy, loader.diagnostics


def load(path: str | os.PathLike[str]) -> Policy:
    """Load a policy without checking it.

    Raises:
        PolicyError: With every error found while reading, parsing and merging.
    """
    policy, diagnostics = load_collect(path)
    if policy is None or any(d.is_error for d in diagnostics):
        raise PolicyError(diagnostics)
    return attrs.evolve(policy, warnings=tuple(diagnostics))
