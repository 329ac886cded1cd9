#!/usr/bin/env python3
"""Writes the scenario fuzzers' seed corpora from the real scenario files.

Usage: tests/fuzz/make_scenario_seeds.py   (from anywhere; rewrites
corpus/scenario_yaml_fuzzer and corpus/scenario_json_fuzzer)

Each seed is a scenario file followed by the fragments it includes, each
after a line `#--- fragment: NAME` (tests/fuzz/scenario_fuzz_input.h). The
JSON seeds are the same scenarios converted to JSON, and the JSON fixtures.
"""
import json
import pathlib
import shutil

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MARKER = "\n#--- fragment: "


def includes(text):
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return []
    if not isinstance(document, dict):
        return []
    entries = document.get("include") or []
    return [entry for entry in entries if isinstance(entry, str)]


def seed(path, convert=lambda text: text):
    text = path.read_text()
    parts = [convert(text)]
    for entry in includes(text):
        fragment = path.parent / entry
        if fragment.is_file():
            parts.append(MARKER + entry + "\n" + convert(fragment.read_text()))
    return "".join(parts)


def to_json(text):
    return json.dumps(yaml.safe_load(text), indent=1, default=str) + "\n"


def write(folder, name, text):
    (folder / name).write_text(text)


def main():
    yaml_dir = HERE / "corpus" / "scenario_yaml_fuzzer"
    json_dir = HERE / "corpus" / "scenario_json_fuzzer"
    for folder in (yaml_dir, json_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    for scenario in sorted((ROOT / "scenarios").glob("*/scenario.yaml")):
        name = scenario.parent.name
        write(yaml_dir, name + ".yaml", seed(scenario))
        write(json_dir, name + ".json", seed(scenario, to_json))
    fixtures = ROOT / "tests" / "fixtures" / "scenarios"
    for path in sorted(fixtures.rglob("*.yaml")):
        if path.name.endswith(".actions.yaml") or path.name == "learner-script.yaml" or \
                path.parent.name in ("fragments", "scripts"):
            continue  # action scripts and fragments are not scenarios
        write(yaml_dir, "fixture-" + str(path.relative_to(fixtures)).replace("/", "-"), seed(path))
    for path in sorted(fixtures.rglob("*.json")):
        write(json_dir, "fixture-" + str(path.relative_to(fixtures)).replace("/", "-"), seed(path))


if __name__ == "__main__":
    main()
