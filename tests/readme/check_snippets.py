#!/usr/bin/env python3
"""Checks that every README code block introduced by `<!-- snippet: PATH -->` equals the file at
PATH, so the quick starts shown are the programs the test suites run.

Usage: check_snippets.py [README.md]   (exit 1 with a diff when a snippet has drifted)
"""
import difflib
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parents[2]
readme = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "README.md"
text = readme.read_text(encoding="utf-8")
pattern = re.compile(r"<!-- snippet: (\S+) -->\s*\n```[^\n]*\n(.*?)```", re.S)
found = pattern.findall(text)
if not found:
    sys.exit(f"{readme}: no `<!-- snippet: PATH -->` blocks found")
failed = False
for path, block in found:
    source = (root / path).read_text(encoding="utf-8")
    if block != source:
        failed = True
        sys.stdout.writelines(
            difflib.unified_diff(
                source.splitlines(True), block.splitlines(True), path, f"README.md ({path})"
            )
        )
for path, _ in found:
    print(f"snippet ok: {path}" if not failed else f"snippet checked: {path}")
sys.exit(1 if failed else 0)
