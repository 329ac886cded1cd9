#!/usr/bin/env python3
"""The layout's rule, checked on every source file: nothing includes anything
above it (docs/architecture.md).

- core/ includes only core/ and the generated contract (pedisim/v1, google/);
- client/ includes only client/, core/ and the contract;
- devices/ includes only devices/, client/, core/ and the contract;
- nothing outside controller/ includes a controller/ header (the tests and
  benchmarks of its internals live in controller/tests/ and controller/bench/);
- every header starts its code with `#pragma once` (one header style).

Prints each breach as file:line: what it includes and exits 1 if there is any.
"""

import argparse
import pathlib
import re
import sys

SOURCE_SUFFIXES = {".h", ".cc"}
# Folders that hold no source of ours, or sources generated from proto/.
SKIPPED_TOP_FOLDERS = {".git", ".ci", "build", "docs", "scenarios"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

CONTRACT = {"pedisim", "google"}
# What each low layer may include, by the first folder of the included path.
ALLOWED_BELOW = {
    "core": {"core"} | CONTRACT,
    "client": {"client", "core"} | CONTRACT,
    "devices": {"devices", "client", "core"} | CONTRACT,
}


def source_files(root):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (path.suffix in SOURCE_SUFFIXES and path.is_file()
                and relative.parts[0] not in SKIPPED_TOP_FOLDERS
                and not relative.parts[0].startswith("build")):
            yield relative


def breaches(root):
    for relative in source_files(root):
        top = relative.parts[0]
        text = (root / relative).read_text(errors="replace")
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            match = INCLUDE.match(line)
            if not match:
                continue
            included = match.group(1)
            included_top = included.split("/")[0] if "/" in included else None
            if included_top == "controller" and top != "controller":
                yield f"{relative}:{number}: includes {included}, a controller/ header"
            allowed = ALLOWED_BELOW.get(top)
            if allowed is not None and included_top is not None and included_top not in allowed:
                yield (f"{relative}:{number}: includes {included}; {top}/ may include only "
                       f"{', '.join(sorted(allowed))}")
        if relative.suffix == ".h":
            code = [line for line in lines if line.strip() and not line.lstrip().startswith("//")]
            if not code or code[0].strip() != "#pragma once":
                yield f"{relative}:1: a header whose code does not start with #pragma once"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parents[2],
                        help="the repository's root (default: this file's)")
    arguments = parser.parse_args()
    found = list(breaches(arguments.root))
    for breach in found:
        print(breach)
    checked = sum(1 for _ in source_files(arguments.root))
    print(f"{checked} source files checked, {len(found)} breach(es) of the layering")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
