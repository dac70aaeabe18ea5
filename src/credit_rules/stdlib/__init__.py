"""The standard library: record types and enums of agricultural supervision.

Each `.rules` file here is a module a policy imports, e.g. `import stdlib.agri`.
"""
