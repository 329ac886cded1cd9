#!/usr/bin/env python3
"""The controller runs as installed: the build is installed into a scratch
root (`cmake --install` with DESTDIR), or a built .deb is unpacked there
(`dpkg-deb -x`, --deb), and the systemd unit's ExecStart runs from it as
systemd would start it ($STATE_DIRECTORY a fresh folder, stderr not a
terminal), its paths moved into the scratch root and only a free port
added. The installed pedisimctl then lists, with the admin token made on
first start, the scenario library installed in share/pedisim/scenarios.
The unit's hardening and the programs' --version are checked on the way.
"""

import argparse
import os
import pathlib
import shlex
import signal
import subprocess
import sys
import tempfile
import time

UNIT = "lib/systemd/system/pedisim-controller.service"
PROGRAMS = ["pedisim-controller", "pedisimctl", "pedisim-dashboard", "pedisim-monitor",
            "pedisim-device"]
HARDENING = {"User": "pedisim", "StateDirectory": "pedisim", "ProtectSystem": "strict",
             "ProtectHome": "yes", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
             "Restart": "on-failure"}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def unit_settings(path):
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return settings


def in_root(root, path):
    """An absolute path of the installed system, inside the scratch root."""
    return root / path.lstrip("/") if path.startswith("/") else path


def install(args, root):
    if args.deb:
        subprocess.run(["dpkg-deb", "-x", args.deb, str(root)], check=True)
    else:
        subprocess.run(["cmake", "--install", args.build_dir], check=True,
                       env=dict(os.environ, DESTDIR=str(root)), stdout=subprocess.DEVNULL)


def check_versions(bin_dir):
    for program in PROGRAMS:
        out = subprocess.run([str(bin_dir / program), "--version"], capture_output=True,
                             text=True, timeout=30)
        if out.returncode != 0 or not out.stdout.startswith(program + " "):
            fail(f"{program} --version: {out.returncode} {out.stdout!r} {out.stderr!r}")


def start_controller(command, work, journal=False):
    """Starts the unit's command; with `journal`, its stderr is announced as
    the journal's stream ($JOURNAL_STREAM = its device:inode), as systemd
    does with StandardError=journal."""
    port_file = work / "port"
    # As systemd runs the unit: its state folder, no terminal, no
    # $PEDISIM_SCENARIOS_DIR; only the port is ours (a free one).
    env = {key: value for key, value in os.environ.items()
           if key not in ("PEDISIM_SCENARIOS_DIR", "JOURNAL_STREAM")}
    env["STATE_DIRECTORY"] = str(work / "state")
    (work / "state").mkdir(mode=0o700)
    log = open(work / "controller.log", "w")
    if journal:
        status = os.fstat(log.fileno())
        env["JOURNAL_STREAM"] = f"{status.st_dev}:{status.st_ino}"
    process = subprocess.Popen(
        command + ["--listen", "127.0.0.1:0", "--port-file", str(port_file)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            return process, port_file.read_text().strip()
        if process.poll() is not None:
            fail(f"controller exited {process.returncode}:\n{(work / 'controller.log').read_text()}")
        time.sleep(0.1)
    process.kill()
    fail("controller did not listen within 60 s")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--deb", help="unpack this package instead of installing the build")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pedisim-package-") as scratch:
        root = pathlib.Path(scratch) / "root"
        work = pathlib.Path(scratch) / "work"
        work.mkdir()
        install(args, root)

        unit = root / UNIT
        if not unit.is_file():
            fail(f"no {UNIT} installed")
        settings = unit_settings(unit)
        for key, value in HARDENING.items():
            if settings.get(key) != value:
                fail(f"unit: {key}={settings.get(key)}, expected {value}")
        command = shlex.split(settings["ExecStart"])
        # The binary and the files it is given (the settings), in the root.
        command = [str(in_root(root, part)) if part.startswith("/") else part
                   for part in command]
        for part in command:
            if part.startswith(str(root)) and not pathlib.Path(part).exists():
                fail(f"ExecStart names {part[len(str(root)):]}, which is not installed")
        bin_dir = pathlib.Path(command[0]).parent
        share = bin_dir.parent / "share/pedisim/scenarios"
        expected = sorted(p.parent.name for p in share.glob("*/scenario.yaml"))
        if not expected:
            fail(f"no scenarios installed in {share}")
        check_versions(bin_dir)

        process, port = start_controller(command, work)
        try:
            listed = subprocess.run(
                [str(bin_dir / "pedisimctl"), "--controller", f"127.0.0.1:{port}",
                 "--json", "scenario", "list"],
                capture_output=True, text=True, timeout=60,
                env=dict(os.environ, PEDISIM_TOKEN_FILE=str(work / "state/admin.token")))
            if listed.returncode != 0:
                fail(f"pedisimctl scenario list: {listed.returncode}: {listed.stderr}")
            missing = [name for name in expected if f'"{name}"' not in listed.stdout]
            if missing:
                fail(f"installed scenarios not listed: {missing}\n{listed.stdout}")
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                fail("controller did not stop within 30 s of SIGTERM")
        log = (work / "controller.log").read_text()
        if code != 0:
            fail(f"controller exited {code} on SIGTERM:\n{log}")
        if "\x1b[" in log or "[info]" not in log:
            fail(f"log off a terminal: expected plain '[info]' lines:\n{log}")
        if f"scenarios loaded from {share}" not in log:
            fail(f"the default scenario folder is not the installed one:\n{log}")

        # On the journal's stream every line starts with its priority (<4>
        # warning, <6> info), so `journalctl -p warning` finds the warnings.
        journal_work = pathlib.Path(scratch) / "journal"
        journal_work.mkdir()
        process, _ = start_controller(command, journal_work, journal=True)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        lines = (journal_work / "controller.log").read_text().splitlines()
        if not lines or not all(line[:3] in ("<2>", "<3>", "<4>", "<6>", "<7>") for line in lines):
            fail("on the journal, lines must start with their priority:\n" + "\n".join(lines))
        if not any(line.startswith("<4>") and "first start" in line for line in lines):
            fail("the first start's warning is not <4>:\n" + "\n".join(lines))
        print(f"installed service: {len(expected)} scenarios listed, stopped cleanly "
              f"({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
