"""Reading the source: YAML with lines, field checks, one reader per file, whole-source validation."""
