#!/usr/bin/env python3
"""Every command in README.md and docs/*.md, run as written.

The fenced blocks of the guides are what readers copy into a terminal, so
each is run here against real controllers, and a block that fails fails the
test with the block's file and line:

- ```sh blocks run as one bash script (`set -euo pipefail`), in a scratch
  folder that looks like the repository's root (scenarios/, tests/, build/,
  ./pedisim) with the files a reader is assumed to have (ca.crt, a device's
  monitor.token, the scenario being written, scenarios/my-case/...);
- transcripts (a block whose lines start with `$ `) run each `$` command;
  with `output` below, what it prints must be the block's text exactly;
- an untagged block that holds a command is an error: tag it sh, or text
  for a synopsis.

A comment on the lines right above a fence says how it is run:

    <!-- docs-test: not run: REASON -->     and what covers it instead
    <!-- docs-test: output -->              the transcript's output, exactly
    <!-- docs-test: replace 'OLD' 'NEW' --> shorter runs; NEW may name the
                                            harness's variables ($DOCS_...)
    <!-- docs-test: skip 'START': REASON --> leaves out the lines that start so

What stands for the reader's own machine is mapped in Harness.substitute: the
addresses (127.0.0.1:50051 is the local controller, sim-server:50051 one
serving TLS), the data folder, session ids and pairing codes. A device
(pedisim-device, pedisim-monitor) joins a session of its own that the harness
starts for it, and is let go by stopping that session once it shows up in the
session's devices; it must then exit 0, as it does when a class ends.
"""

import argparse
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PROGRAM_DIRS = ["cli", "controller", "devices/pedisim_device", "monitor", "dashboard"]
# The first word of a line that is a command, for untagged blocks.
COMMAND_WORDS = ("pedisimctl", "pedisim-controller", "pedisim-device", "pedisim-monitor",
                 "pedisim-dashboard", "./pedisim", "build/", "cmake", "ctest", "sudo",
                 "systemctl", "journalctl", "git ", "tests/")
DIRECTIVE = re.compile(r"^<!--\s*docs-test:\s*(.*?)\s*-->$")
SESSION_ID = re.compile(r"\b20\d{6}-\d{6}-[0-9a-f]{4}\b")
PAIRING_CODES = ("482913", "4F7K2Q")
# Seconds any one block may take; the slowest (benchmarks) take about 30.
BLOCK_TIMEOUT_S = 240


class Failure(Exception):
    pass


class Block:
    def __init__(self, path, line, info, lines, directives):
        self.path, self.line, self.info, self.lines = path, line, info, lines
        self.directives = directives

    @property
    def where(self):
        return f"{self.path}:{self.line}"

    def not_run_reason(self):
        for directive in self.directives:
            if directive.startswith("not run:"):
                return directive[len("not run:"):].strip()
        return None

    def replacements(self):
        pairs = []
        for directive in self.directives:
            if directive.startswith("replace "):
                words = shlex.split(directive[len("replace "):])
                if len(words) != 2:
                    raise Failure(f"{self.where}: replace takes 'OLD' 'NEW': {directive}")
                pairs.append((words[0], words[1]))
        return pairs

    def skipped_lines(self):
        """(line start, reason) of the lines left out."""
        skips = []
        for directive in self.directives:
            match = re.match(r"^skip\s+'([^']+)':\s*(.+)$", directive)
            if directive.startswith("skip") and not match:
                raise Failure(f"{self.where}: skip takes 'START': REASON: {directive}")
            if match:
                skips.append((match.group(1), match.group(2)))
        return skips

    def is_transcript(self):
        return any(line.startswith("$ ") for line in self.lines)


def read_blocks(root, relative):
    lines = (root / relative).read_text().split("\n")
    blocks, directives = [], []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = DIRECTIVE.match(line.strip())
        if match:
            directives.append(match.group(1))
            index += 1
            continue
        fence = re.match(r"^\s*```(\S*)", line)
        if fence:
            start = index
            body = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                body.append(lines[index])
                index += 1
            blocks.append(Block(relative, start + 1, fence.group(1), body, directives))
        directives = [] if line.strip() or not directives else directives
        index += 1
    return blocks


def logical_lines(lines):
    """Lines with their backslash continuations joined."""
    joined, pending = [], ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    if pending:
        joined.append(pending)
    return joined


def runnable_blocks(root):
    """The blocks to run, and the errors of blocks that are not tagged right."""
    files = ["README.md"] + sorted(str(p.relative_to(root)) for p in (root / "docs").glob("*.md"))
    run, skipped, errors = [], [], []
    for relative in files:
        for block in read_blocks(root, relative):
            shell = block.info in ("sh", "bash", "shell", "console")
            if block.info == "" and not block.is_transcript():
                commands = [l for l in block.lines if l.lstrip().startswith(COMMAND_WORDS)]
                if commands:
                    errors.append(f"{block.where}: an untagged block holds a command "
                                  f"({commands[0].strip()!r}): tag it sh to be run, or text "
                                  "for a synopsis")
                continue
            if not shell and not (block.info == "" and block.is_transcript()):
                continue
            text = "\n".join(block.lines)
            try:
                for old, _ in block.replacements():
                    if old not in text:
                        errors.append(f"{block.where}: replace '{old}' matches nothing")
            except Failure as failure:
                errors.append(str(failure))
            if "output" in block.directives and not block.is_transcript():
                errors.append(f"{block.where}: 'output' is for transcripts ($ lines)")
            reason = block.not_run_reason()
            for start, why in block.skipped_lines():
                if not any(l.startswith(start) for l in block.lines):
                    errors.append(f"{block.where}: skip '{start}' matches no line")
                skipped.append((block, f"'{start}...': {why}"))
            if reason is not None:
                if not reason:
                    errors.append(f"{block.where}: 'not run' needs its reason")
                skipped.append((block, reason))
            else:
                run.append(block)
    return run, skipped, errors


class Controller:
    """A pedisim-controller of the test's own, on loopback."""

    def __init__(self, build, work, name, scenarios, tls):
        self.data = work / name
        self.data.mkdir()
        self.log_path = work / f"{name}.log"
        port_file, tcp_port_file = work / f"{name}.port", work / f"{name}.tcp-port"
        command = [str(build / "controller/pedisim-controller"), "--listen", "127.0.0.1:0",
                   "--port-file", str(port_file), "--device-tcp-listen", "127.0.0.1:0",
                   "--device-tcp-port-file", str(tcp_port_file), "--data-dir", str(self.data),
                   "--scenarios-dir", str(scenarios)]
        if tls:
            command.append("--tls")
        self.tls = tls
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=log)
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip() and
                   tcp_port_file.exists() and tcp_port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Failure(f"controller {name} did not start:\n{self.log_path.read_text()}")
            time.sleep(0.1)
        self.port = port_file.read_text().strip()
        self.tcp_port = tcp_port_file.read_text().strip()
        self.host = "localhost" if tls else "127.0.0.1"
        self.address = f"{self.host}:{self.port}"
        self.tcp_address = f"{self.host}:{self.tcp_port}"
        self.token_file = self.data / "admin.token"
        self.ca_file = self.data / "tls/ca.crt"

    def ctl_args(self, build):
        args = [str(build / "cli/pedisimctl"), "--controller", self.address,
                "--token-file", str(self.token_file)]
        if self.tls:
            args += ["--ca-file", str(self.ca_file)]
        return args

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise Failure("a controller did not stop within 30 s of SIGTERM")
        if code != 0:
            raise Failure(f"a controller exited {code}:\n{self.log_path.read_text()[-3000:]}")


def ctl(build, controller, *args, json_out=False):
    command = controller.ctl_args(build) + (["--json"] if json_out else []) + list(args)
    out = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise Failure(f"setup: {shlex.join(args)}: exit {out.returncode}: {out.stderr}")
    return json.loads(out.stdout) if json_out else out.stdout.strip()


class Harness:
    def __init__(self, root, build, scratch):
        self.root, self.build, self.scratch = root, build, scratch
        self.work = scratch / "work"  # the reader's folder: the commands' working directory
        self.work.mkdir()
        servers = scratch / "servers"
        servers.mkdir()
        self.local = Controller(build, servers, "local", root / "scenarios", tls=False)
        self.remote = Controller(build, servers, "sim-server", root / "scenarios", tls=True)
        self.sessions_file = scratch / "device-sessions"
        self.sessions_file.write_text("")
        # ./pedisim build in a guide must find the build as it is: same type.
        cache = subprocess.run(["cmake", "-L", "-N", str(build)], capture_output=True,
                               text=True).stdout
        build_type = re.search(r"^CMAKE_BUILD_TYPE:STRING=(.*)$", cache, re.M)
        self.build_type = build_type.group(1) if build_type else "Release"
        self.prepare_folder()
        self.prepare_recording()

    def stop(self):
        for controller in (self.local, self.remote):
            controller.stop()

    # The folder the guides assume: the repository's, plus the reader's files.
    def prepare_folder(self):
        work = self.work
        for name in ("tests", "build", "bench", "controller", "proto"):
            source = self.build if name == "build" else self.root / name
            (work / name).symlink_to(source)
        # The entry script finds the sources by its own path: a wrapper, not a link.
        (work / "pedisim").write_text(f'#!/bin/sh\nexec {shlex.quote(str(self.root / "pedisim"))} "$@"\n')
        (work / "pedisim").chmod(0o755)
        (work / "scenarios").mkdir()
        for entry in (self.root / "scenarios").iterdir():
            (work / "scenarios" / entry.name).symlink_to(entry)
        # The scenario the reader is writing, as a folder and as one file.
        shutil.copytree(self.root / "scenarios/infant-respiratory-failure",
                        work / "scenarios/my-case")
        # One file alone (the library's scenarios include shared rulesets).
        shutil.copy(self.root / "tests/fixtures/scenarios/test-short.yaml",
                    work / "scenarios/my-case.yaml")
        shutil.copy(self.root / "scenarios/infant-respiratory-failure/good-team.actions.yaml",
                    work / "good-team.actions.yaml")
        (work / "oxygen.actions.yaml").write_text(
            "description: Oxygen at 3 s.\nactions:\n  - at_s: 3\n    action: {kind: oxygen}\n")
        for name in ("ca.crt", "ca.pem"):
            shutil.copy(self.remote.ca_file, work / name)
        # A device's token on the TLS controller, as an administrator gives it.
        ctl(self.build, self.remote, "user", "add", "monitor", "--role", "device")
        (work / "monitor.token").write_text(
            ctl(self.build, self.remote, "token", "create", "monitor", "--label", "docs") + "\n")
        # A person's token to log in with.
        ctl(self.build, self.remote, "user", "add", "Nurse Lee", "--role", "instructor")
        (work / "token.txt").write_text(
            ctl(self.build, self.remote, "token", "create", "Nurse Lee", "--label", "docs") + "\n")
        (self.scratch / "usr-local-share").mkdir()

    # A finished class with a bookmark, longer than the replays the guides show.
    def prepare_recording(self):
        created = ctl(self.build, self.local, "session", "create", "--scenario",
                      "toddler-anaphylaxis", "--speed", "8", "--seed", "7", "--learner-script",
                      str(self.root / "scenarios/toddler-anaphylaxis/good-team.actions.yaml"),
                      "-q")
        self.session_id = created.split()[-1]
        ctl(self.build, self.local, "session", "start", self.session_id)
        ctl(self.build, self.local, "session", "mark", self.session_id, "team ready")
        # Stopped once past the replays the guides show (as shortened), 5 s at 8x.
        deadline = time.monotonic() + 120
        while ctl(self.build, self.local, "session", "show", self.session_id,
                  json_out=True).get("simTimeS", 0) < 40:
            if time.monotonic() > deadline:
                raise Failure("setup: the recorded class did not reach 0:40 in 120 s")
            time.sleep(0.5)
        ctl(self.build, self.local, "session", "stop", self.session_id)
        shown = ctl(self.build, self.local, "recordings", "show", self.session_id, json_out=True)
        bookmarks = shown.get("annotations") or []
        if not bookmarks:
            raise Failure(f"setup: the recording has no bookmark: {shown}")
        self.bookmark_id = str(bookmarks[0]["eventId"])

    def new_device_session(self, controller):
        """A running class for one device to join; its pairing code."""
        created = ctl(self.build, controller, "session", "create", "--scenario",
                      "infant-respiratory-failure", "-q")
        session_id = created.split()[-1]
        ctl(self.build, controller, "session", "start", session_id)
        code = ctl(self.build, controller, "session", "show", session_id,
                   json_out=True)["pairingCode"]
        stop = shlex.join(controller.ctl_args(self.build))
        with open(self.sessions_file, "a") as sessions:
            sessions.write(f"{code} {session_id} {stop}\n")
        return code

    def server_of(self, text):
        """The controller a block talks to: the TLS one when it names sim-server."""
        return self.remote if "sim-server" in text else self.local

    def environment(self, server):
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("PEDISIM_") and key not in ("DISPLAY", "WAYLAND_DISPLAY")}
        path = [str(self.build / d) for d in PROGRAM_DIRS]
        home = self.scratch / "home"
        home.mkdir(exist_ok=True)
        env.update({
            "PATH": ":".join(path + [env.get("PATH", "/usr/bin:/bin")]),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "PEDISIM_CONTROLLER": server.address,
            "PEDISIM_TOKEN_FILE": str(server.token_file),
            "PEDISIM_BUILD_DIR": str(self.build),
            "PEDISIM_BUILD_TYPE": self.build_type,
            "SDL_VIDEODRIVER": "dummy",
            "SDL_AUDIODRIVER": "dummy",
            "DOCS_SESSION": self.session_id,
            "DOCS_BOOKMARK": self.bookmark_id,
            "DOCS_DEVICE_SESSIONS": str(self.sessions_file),
        })
        return env

    # What stands for the reader's machine, in the order it is replaced.
    def substitute(self, block, text):
        server = self.server_of("\n".join(block.lines))
        pairs = block.replacements() + [
            ("sudo ", ""),
            ("/var/lib/pedisim", str(server.data)),
            ("/usr/local/share/", str(self.scratch / "usr-local-share") + "/"),
            ("sim-server:50051", self.remote.address),
            ("ctl.local:50051", self.remote.address),
            ("ctl.local:50052", self.remote.tcp_address),
            ("127.0.0.1:50051", self.local.address),
            ("127.0.0.1:50052", self.local.tcp_address),
        ]
        for old, new in pairs:
            text = text.replace(old, new)
        text = SESSION_ID.sub(self.session_id, text)
        text = re.sub(r"(?<=\s)ID(?=\s|$)", self.session_id, text)
        # Each device joins its own class: the k-th pairing code, the k-th session.
        lines = []
        for line in logical_lines(text.split("\n")):
            for code in PAIRING_CODES:
                if code in line:
                    server = self.remote if ("localhost:" in line) else self.local
                    line = line.replace(code, self.new_device_session(server))
            lines.append(line)
        return "\n".join(lines)

    def run_script(self, block, script):
        server = self.server_of("\n".join(block.lines))
        prelude = (self.root / "tests/docs/device_join.sh").read_text()
        started = time.monotonic()
        try:
            out = subprocess.run(["bash", "-c", prelude + "\nset -euo pipefail\n" + script],
                                 cwd=self.work, env=self.environment(server), capture_output=True,
                                 text=True, timeout=BLOCK_TIMEOUT_S)
        except subprocess.TimeoutExpired as timeout:
            raise Failure(f"{block.where}: did not finish in {BLOCK_TIMEOUT_S} s:\n{script}\n"
                          f"{(timeout.stdout or b'')[-2000:]!r}")
        return out, time.monotonic() - started

    def run(self, block):
        if block.is_transcript():
            return self.run_transcript(block)
        kept = [line for line in logical_lines(block.lines)
                if not any(line.startswith(start) for start, _ in block.skipped_lines())]
        script = self.substitute(block, "\n".join(kept))
        out, seconds = self.run_script(block, script)
        if out.returncode != 0:
            raise Failure(f"{block.where}: exit {out.returncode}\n--- ran:\n{script}\n"
                          f"--- stdout (end):\n{out.stdout[-3000:]}\n--- stderr (end):\n"
                          f"{out.stderr[-3000:]}")
        return seconds

    def run_transcript(self, block):
        seconds = 0.0
        commands = []  # (command, expected output lines)
        for line in block.lines:
            if line.startswith("$ "):
                commands.append((line[2:], []))
            elif commands:
                commands[-1][1].append(line)
        compare = "output" in block.directives
        for command, expected in commands:
            script = self.substitute(block, command)
            out, took = self.run_script(block, script)
            seconds += took
            if out.returncode != 0:
                raise Failure(f"{block.where}: $ {command}: exit {out.returncode}\n"
                              f"{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
            if compare and out.stdout.rstrip("\n").split("\n") != expected:
                raise Failure(f"{block.where}: $ {command}: printed\n{out.stdout}\n"
                              "where the guide shows\n" + "\n".join(expected))
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--only", help="run only the blocks of this file (e.g. docs/cli.md)")
    args = parser.parse_args()
    root = pathlib.Path(args.source_dir).resolve()
    build = pathlib.Path(args.build_dir).resolve()
    started = time.monotonic()
    blocks, skipped, errors = runnable_blocks(root)
    if args.only:
        blocks = [b for b in blocks if b.path == args.only]
    failures = list(errors)
    with tempfile.TemporaryDirectory(prefix="pedisim-docs-") as scratch:
        harness = Harness(root, build, pathlib.Path(scratch))
        try:
            for block in blocks:
                try:
                    seconds = harness.run(block)
                    print(f"ran     {block.where} ({seconds:.1f} s)", flush=True)
                except Failure as failure:
                    failures.append(str(failure))
                    print(f"FAILED  {block.where}", flush=True)
        finally:
            harness.stop()
    for block, reason in skipped:
        print(f"not run {block.where}: {reason}")
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    print(f"{len(blocks)} blocks run, {len(skipped)} not run (reasons above), "
          f"{len(failures)} failed, in {time.monotonic() - started:.1f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
