#!/usr/bin/env python3
"""Runs every PediSim benchmark and renders one table of figures and baselines.

`./pedisim bench [--quick]` builds Release and calls this. Each benchmark is a
tool in build/bench/ that writes JSON with a "figures" array, one object per
row: name, value, unit, baseline (measured in the same run), baseline_name,
ratio (value / baseline). engine_bench is a Google Benchmark binary; its JSON
is turned into rows here. The table goes to stdout and, as Markdown, to
--markdown (docs/BENCHMARKS.md, or build/bench-quick/ for --quick).

Benchmarks never fail on timing: the exit status is 1 only when a tool that
was built fails to run or writes no figures.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional


@dataclass
class Benchmark:
    key: str  # names the JSON and log files
    section: str
    tool: str  # binary in build/bench/
    full_args: list
    quick_args: list
    # Optional tools built by other issues: a missing binary is reported, not failed.
    missing_note: Optional[str] = None
    # Turns the tool's output file into rows; default: its "figures" array.
    figures_from: Optional[Callable[[dict], list]] = None
    # The tool writes its JSON with --json FILE unless it says otherwise.
    json_args: Callable[[str], list] = field(default=lambda path: ["--json", path])


def figure(name, value, unit, baseline, baseline_name):
    """One row, as the C++ tools write it (bench/load_common.h's Figure)."""
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "ratio": value / baseline if baseline else None,
    }


def engine_figures(report):
    """Rows from engine_bench's Google Benchmark JSON (counters are keys): the
    median of the repetitions when it repeated them, else the one run."""

    def counter(name, key):
        runs = [entry for entry in report["benchmarks"]
                if entry.get("run_name", entry["name"]) == name]
        medians = [entry for entry in runs if entry.get("aggregate_name") == "median"]
        return (medians or runs)[0][key]

    # The library case the engine and assessor run slowest: its rules
    # (quantities, compound conditions, judges) cost the most per simulated
    # second. Its baseline is the cycling scenario's engine-only hour, which
    # has no rules at all.
    cases = sorted({entry.get("run_name", entry["name"]) for entry in report["benchmarks"]
                    if entry.get("run_name", entry["name"]).startswith("BM_LibraryCase/")})
    heaviest = min(cases, key=lambda name: counter(name, "x_real_time")) if cases else None

    generator = "waveform generator alone, same waveforms"
    library_rows = [
        figure(f"heaviest library case ({heaviest.split('/', 1)[1]}, good team, engine and "
               "assessor): simulated time per wall time",
            counter(heaviest, "x_real_time"), "x real time",
            counter("BM_SessionHourEngineOnly", "x_real_time"),
            "cycling scenario without rules, engine only"),
    ] if heaviest else []
    return [
        figure("one session, all 4 waveforms: simulated time per wall time",
            counter("BM_SessionHourAllWaveforms", "x_real_time"), "x real time",
            counter("BM_GeneratorHourAllWaveforms", "x_real_time"), generator),
        figure("one session, numerics and events only: simulated time per wall time",
            counter("BM_SessionHourEngineOnly", "x_real_time"), "x real time",
            1.0, "wall clock"),
        figure("sessions one core keeps in real time (100 interleaved, all waveforms)",
            counter("BM_SessionsOnOneCore/100", "sessions_per_core"), "sessions",
            counter("BM_GeneratorsOnOneCore/100", "sessions_per_core"),
            "100 bare generators interleaved"),
        # The pharmacology layer's cost: the same hour with all waveforms,
        # five modelled drugs acting at once, against pharmacology off.
        figure("one session, all 4 waveforms, pharmacology on with 5 drugs acting: "
               "simulated time per wall time",
            counter("BM_PharmacologyHour/on:1", "x_real_time"), "x real time",
            counter("BM_PharmacologyHour/on:0", "x_real_time"),
            "the same session, pharmacology off"),
    ] + library_rows


def fanout(devices, transport="grpc"):
    """device_fanout_bench: 20 s per run (3 s quick), PediSim then its baseline."""
    tcp = transport == "tcp"
    common = ["--transport", transport, "--devices", str(devices)]
    return Benchmark(
        key=f"device_fanout_{transport}_{devices}",
        section="TCP adapter (all waveforms)" if tcp else "fan-out (gRPC devices, all waveforms)",
        tool="device_fanout_bench",
        full_args=common + ["--duration", "20", "--warmup", "2"],
        quick_args=common + ["--duration", "3", "--warmup", "1"],
    )


# Seconds the driver watches the machine before the first tool, and the
# share of its CPU other processes may use before the report says so.
IDLE_CHECK_S = 3
BUSY_SHARE = 0.05


def later_tool(key, tool, issue):
    return Benchmark(key=key, section=key, tool=tool, full_args=[], quick_args=["--quick"],
                     missing_note=f"not built yet (issue {issue})")


BENCHMARKS = [
    Benchmark(
        key="engine",
        section="engine",
        tool="engine_bench",
        # Five repetitions of each, in random order so that a busy moment
        # hits figure and baseline alike, and their median: one run moves by
        # 10-20 % when anything else wakes up on the machine.
        full_args=["--benchmark_min_time=1", "--benchmark_repetitions=5",
                   "--benchmark_enable_random_interleaving=true",
                   "--benchmark_report_aggregates_only=true"],
        quick_args=["--benchmark_min_time=0.1"],
        figures_from=engine_figures,
        json_args=lambda path: ["--benchmark_format=console", "--benchmark_out_format=json",
                                f"--benchmark_out={path}"],
    ),
    Benchmark(
        key="action_latency",
        section="instructor action to device",
        tool="action_latency_bench",
        full_args=["--actions", "500"],
        quick_args=["--actions", "100", "--warmup", "5"],
    ),
    fanout(10),
    fanout(100),
    fanout(200),
    fanout(100, "tcp"),
    Benchmark(
        key="tcp_cpr_load",
        section="TCP devices sending 60 Hz CPR samples",
        tool="tcp_cpr_load",
        full_args=["--devices", "300", "--duration", "10"],
        quick_args=["--devices", "20", "--duration", "2", "--settle", "0.5"],
    ),
    Benchmark(
        key="memory",
        section="memory",
        tool="controller_memory_bench",
        full_args=["--sessions", "20", "--devices-per-session", "10", "--duration", "20"],
        quick_args=["--sessions", "20", "--devices-per-session", "10", "--duration", "4"],
    ),
    # A tool another issue adds: run with --json FILE (and --quick), reported
    # as not built until its binary exists.
    Benchmark(
        key="recording",
        section="recording",
        tool="recording_bench",
        full_args=[],
        quick_args=["--seeks", "20"],
        missing_note="not built yet (issue 6)",
    ),
    later_tool("dashboard", "dashboard_frame_bench", 7),
    Benchmark(key="monitor", section="room monitor", tool="monitor_frame_bench", full_args=[],
              quick_args=["--quick"], missing_note="not built yet (issue 17)"),
    Benchmark(key="monitor_latency", section="room monitor: action to screen",
              tool="monitor_latency_bench", full_args=[], quick_args=["--quick"],
              missing_note="not built yet (issue 17)"),
]


# ------------------------------------------------------------------ machine

def read_first(path, prefix):
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line
    except OSError:
        pass
    return None


def os_name():
    try:
        with open("/etc/os-release") as lines:
            for line in lines:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.system()


def compiler(build_dir):
    cache = build_dir / "CMakeCache.txt"
    path = "c++"
    build_type = "unknown"
    if cache.exists():
        for line in cache.read_text().splitlines():
            if line.startswith("CMAKE_CXX_COMPILER:"):
                path = line.split("=", 1)[1]
            elif line.startswith("CMAKE_BUILD_TYPE:"):
                build_type = line.split("=", 1)[1]
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True,
                                 check=False).stdout.splitlines()[0]
    except (OSError, IndexError):
        version = path
    return version, build_type


def git(root, *args):
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return ""


def machine(root, build_dir, report):
    memory_kb = read_first("/proc/meminfo", "MemTotal")
    version, build_type = compiler(build_dir)
    commit = git(root, "rev-parse", "HEAD") or "unknown"
    # The report a previous run left is not a change to what is measured.
    if git(root, "status", "--porcelain", "--untracked-files=no", "--", ".",
           f":(exclude){report.resolve()}"):
        commit += " (with uncommitted changes)"
    return {
        "cpu": read_first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram": f"{int(memory_kb.split()[0]) / 1024 / 1024:.1f} GiB" if memory_kb else "unknown",
        "os": f"{os_name()}, Linux {platform.release()}",
        "compiler": version,
        "build_type": build_type,
        "commit": commit,
        "load_before": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """How much of the machine processes other than ours used: the machine's
    busy CPU time minus that of the tools we ran (and waited for), as a
    share of all cores over the wall time."""

    def __init__(self):
        self.started = time.monotonic()
        self.machine = machine_busy_seconds()
        self.ours = self.children_seconds()

    @staticmethod
    def children_seconds():
        times = os.times()
        return times.children_user + times.children_system

    def share(self):
        wall = time.monotonic() - self.started
        other = (machine_busy_seconds() - self.machine) - (self.children_seconds() - self.ours)
        return max(0.0, other) / (wall * (os.cpu_count() or 1))


# ------------------------------------------------------------------ running

@dataclass
class Outcome:
    benchmark: Benchmark
    command: str
    rows: list
    status: str  # "ok", "missing" or "failed: ..."
    seconds: float = 0


def run(benchmark, build_dir, results_dir, quick, timeout_s):
    binary = build_dir / "bench" / benchmark.tool
    args = benchmark.quick_args if quick else benchmark.full_args
    json_path = results_dir / f"{benchmark.key}.json"
    log_path = results_dir / f"{benchmark.key}.log"
    command = [str(binary), *args]
    shown = " ".join(shlex.quote(part) for part in [f"build/bench/{benchmark.tool}", *args])
    if not binary.exists():
        if benchmark.missing_note:
            return Outcome(benchmark, shown, [], "missing")
        return Outcome(benchmark, shown, [], f"failed: {binary} is not built")
    if json_path.exists():
        json_path.unlink()
    print(f"--> {shown}", flush=True)
    started = time.monotonic()
    try:
        with open(log_path, "w") as log:
            result = subprocess.run(command + benchmark.json_args(str(json_path)), stdout=log,
                                    stderr=subprocess.STDOUT, timeout=timeout_s, check=False)
        status = "ok" if result.returncode == 0 else f"failed: exit {result.returncode}"
    except subprocess.TimeoutExpired:
        status = f"failed: no result in {timeout_s} s"
    seconds = time.monotonic() - started
    rows = []
    if status == "ok":
        try:
            report = json.loads(json_path.read_text())
            rows = (benchmark.figures_from or (lambda r: r["figures"]))(report)
        except (OSError, ValueError, KeyError) as error:
            status = f"failed: no figures ({error!r})"
    if status != "ok":
        print(f"    {status}; its output is in {log_path}", flush=True)
    return Outcome(benchmark, shown, rows, status, seconds)


# ---------------------------------------------------------------- rendering

def number(value):
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def table_rows(outcomes):
    """(section, figure, value, baseline, ratio) strings for every row."""
    rows = []
    for outcome in outcomes:
        section = outcome.benchmark.section
        if outcome.status == "missing":
            rows.append((section, outcome.benchmark.missing_note, "", "", ""))
            continue
        if outcome.status != "ok":
            rows.append((section, f"{outcome.benchmark.tool} {outcome.status}", "", "", ""))
            continue
        for figure in outcome.rows:
            unit = figure.get("unit", "")
            value = f"{number(figure['value'])} {unit}".strip()
            if figure.get("baseline_name"):
                baseline = f"{number(figure['baseline'])} {unit} ({figure['baseline_name']})"
                ratio = number(figure.get("ratio"))
            else:
                baseline, ratio = "no baseline", "—"
            rows.append((section, figure["name"], value, baseline, ratio))
    return rows


def print_table(rows):
    headers = ("benchmark", "figure", "value", "baseline (same run)", "ratio")
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(5)]
    line = "  ".join("{:<%d}" % width for width in widths)
    print(line.format(*headers))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row))


def markdown(outcomes, rows, info, command, quick, wall_s):
    cell = lambda text: text.replace("|", "\\|")
    out = [
        "# Benchmarks" + (" (quick run)" if quick else ""),
        "",
        f"Generated by `{command}` (bench/run_benchmarks.py); do not edit by hand, run it again.",
        "Every figure is compared with a baseline measured in the same run on the same",
        "machine, because absolute times move from machine to machine. Ratio = figure /",
        "baseline: for latencies and CPU lower is better, for x real time and sessions",
        "higher. What each benchmark and baseline is: docs/performance.md.",
        "",
        "## Run",
        "",
        f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Command: `{command}`",
        f"- Commit: {info['commit']}",
        f"- Machine: {info['cores']} x {info['cpu']}, {info['ram']} RAM, {info['os']}",
        f"- Compiler: {info['compiler']}, CMAKE_BUILD_TYPE={info['build_type']}",
        f"- Load average (1, 5, 15 min) before the run: {info['load_before']}; after: "
        f"{info['load_after']}",
        f"- Wall time of the benchmarks (after the build): {wall_s:.0f} s",
        f"- CPU used by other processes (share of all cores): {info['other_before']:.0%} in "
        f"the {IDLE_CHECK_S} s before the run, {info['other_during']:.0%} during it",
        "",
    ]
    if info["other_before"] > BUSY_SHARE or info["other_during"] > BUSY_SHARE:
        out += [
            f"**The machine was not idle**: other processes used "
            f"{info['other_before']:.0%} of its CPU just before the run and "
            f"{info['other_during']:.0%} during it.",
            "They shared the cores with the benchmarks, so these figures, and how well each",
            "baseline's conditions match its figure's, are noisier than on an idle machine.",
            "",
        ]
    out += [
        "## Figures",
        "",
        "| Benchmark | Figure | Value | Baseline (same run) | Ratio |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        out.append("| " + " | ".join(cell(text) for text in row) + " |")
    out += ["", "## Commands", "", "Each tool as the driver ran it (plus `--json FILE`):", ""]
    for outcome in outcomes:
        state = "" if outcome.status == "ok" else f" — {outcome.status}"
        if outcome.status == "missing":
            state = f" — {outcome.benchmark.missing_note}"
        timing = f" ({outcome.seconds:.0f} s)" if outcome.seconds else ""
        out.append(f"- `{outcome.command}`{timing}{state}")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the benchmarks' keys and exit")
    parser.add_argument("--build-dir", type=Path)
    parser.add_argument("--quick", action="store_true",
                        help="short runs (CI): the whole set in well under 3 minutes")
    parser.add_argument("--markdown", type=Path, help="where the table goes")
    parser.add_argument("--results-dir", type=Path, help="each tool's JSON and output")
    parser.add_argument("--command", default="./pedisim bench",
                        help="the command to name in the report")
    parser.add_argument("--only", action="append", default=[],
                        help="run only the benchmarks with this key (repeatable)")
    options = parser.parse_args()
    if options.list:
        for benchmark in BENCHMARKS:
            print(f"{benchmark.key:<24} {benchmark.tool} {' '.join(benchmark.full_args)}")
        return 0
    if not (options.build_dir and options.markdown and options.results_dir):
        parser.error("--build-dir, --markdown and --results-dir are required")
    unknown = set(options.only) - {benchmark.key for benchmark in BENCHMARKS}
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))} (see --list)")

    root = Path(__file__).resolve().parent.parent
    build_dir = options.build_dir.resolve()
    options.results_dir.mkdir(parents=True, exist_ok=True)
    info = machine(root, build_dir, options.markdown)
    timeout_s = 150 if options.quick else 900
    before = OtherLoad()
    time.sleep(IDLE_CHECK_S)
    info["other_before"] = before.share()
    during = OtherLoad()
    started = time.monotonic()
    outcomes = [run(benchmark, build_dir, options.results_dir, options.quick, timeout_s)
                for benchmark in BENCHMARKS
                if not options.only or benchmark.key in options.only]
    wall_s = time.monotonic() - started
    info["load_after"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    info["other_during"] = during.share()

    rows = table_rows(outcomes)
    print()
    print_table(rows)
    options.markdown.parent.mkdir(parents=True, exist_ok=True)
    options.markdown.write_text(
        markdown(outcomes, rows, info, options.command, options.quick, wall_s))
    print(f"\n{len(outcomes)} benchmarks in {wall_s:.0f} s; table written to {options.markdown}")
    failed = [outcome for outcome in outcomes if outcome.status.startswith("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
