"""Credit rules: grade agricultural producers by policies written as `.rules` files.

Policy staff write credit policies in a small language; this package parses and
checks them, compiles them into an evaluation graph, and grades producers with an
explanation of every grade.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
