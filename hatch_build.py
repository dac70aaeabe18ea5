"""Build the engine's hot modules into native code when a wheel is built.

The modules that every event runs through (timelines, patches, the runtime's
loop) are compiled with mypyc from the very same source: they behave alike and
pass the same tests, and an engine built of them ingests and assesses one and
a half to two times as fast. Where compiling is not possible (no C compiler, a Python
mypyc does not support), the wheel is built of pure Python instead, with a
warning; an editable install is always pure Python, so that an edited module
takes effect without a rebuild. `HATCH_BUILD_NO_HOOKS=true` builds a pure wheel
on purpose.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = (
    "assessing",
    "calendar",
    "conditions",
    "dates",
    "expressions",
    "kernels",
    "notifying",
    "patching",
    "reference",
    "repair",
    "runtime",
    "shapes",
    "sharing",
    "snapshot",
    "standing",
    "state",
    "subject_records",
    "suffix",
    "timeline",
    "validation",
    "view",
)
"""The modules of `credit_rules.engine` built into native code.

Modules of attrs classes and protocols stay Python: mypyc builds neither.
"""

GROUP = "credit_rules_native"
"""The name of the library that holds the compiled modules' shared code."""

_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup

setup(
    name="credit-rules-native",
    ext_modules=mypycify(
        ["--ignore-missing-imports", *sys.argv[1:]], group_name={group!r}
    ),
    script_args=["build_ext", "--inplace"],
)
"""


class CompiledEngineHook(BuildHookInterface[BuilderConfig]):
    """Add the compiled engine modules to a (non-editable) wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile the modules and add them to the wheel, or leave it pure."""
        if self.target_name != "wheel" or version == "editable":
            return

        self._workspace = Path(tempfile.mkdtemp(prefix="credit-rules-build-"))
        try:
            built = _compile(Path(self.root) / "src", self._workspace)
        except (OSError, subprocess.CalledProcessError) as error:
            reason = (
                f"mypyc or the C compiler failed with status {error.returncode}, "
                "as shown above"
                if isinstance(error, subprocess.CalledProcessError)
                else str(error)
            )
            self.app.display_warning(
                f"the engine's modules could not be compiled ({reason}); "
                "building a pure Python wheel, which is slower but alike"
            )
            return

        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path in built:
            build_data["force_include"][str(path)] = str(
                path.relative_to(self._workspace / "src")
            )

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        """Remove the compiler's workspace."""
        workspace = getattr(self, "_workspace", None)
        if workspace is not None:
            shutil.rmtree(workspace, ignore_errors=True)


def _compile(source: Path, workspace: Path) -> list[Path]:
    """Compile the modules of a copy of the package; return the libraries built.

    Raises:
        OSError: If the copy cannot be made or no library was built.
        subprocess.CalledProcessError: If mypyc or the C compiler fails; its
            output has been shown.
    """
    copy = workspace / "src"
    shutil.copytree(source / "credit_rules", copy / "credit_rules")
    modules = [f"credit_rules/engine/{name}.py" for name in COMPILED]
    subprocess.run(
        [sys.executable, "-c", _SETUP.format(group=GROUP), *modules],
        cwd=copy,
        check=True,
    )
    built = sorted(copy.glob("*.so")) + sorted(copy.glob("credit_rules/**/*.so"))
    built += sorted(copy.glob("*.pyd")) + sorted(copy.glob("credit_rules/**/*.pyd"))
    if len(built) <= len(COMPILED):
        raise OSError(f"mypyc built {len(built)} libraries for {len(COMPILED)}")
    return built
