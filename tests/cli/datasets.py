"""A generated Huai'an dataset on disk, for the grading commands' tests."""

from __future__ import annotations

from pathlib import Path

from credit_rules import load_policy
from credit_rules.generate import generate
from credit_rules.io import write_dataset

ROOT = Path(__file__).resolve().parents[2]
HUAIAN = ROOT / "policies" / "huaian"
JIANGSU = ROOT / "policies" / "jiangsu"
AS_OF = "2026-06-30"


def huaian_dataset(folder: Path, subjects: int = 30) -> Path:
    """Write a generated Huai'an dataset of `subjects` producers into `folder`."""
    policy = load_policy(HUAIAN)
    write_dataset(folder, policy, generate(policy, subjects=subjects, seed=5))
    return folder
