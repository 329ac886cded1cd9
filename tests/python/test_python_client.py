#!/usr/bin/python3
"""Cross-language check of the public gRPC contract.

Generates Python stubs from proto/ at test time, starts the real controller
on an ephemeral port and drives it the way a third-party Python client would.
Run with Debian's /usr/bin/python3, which has python3-grpcio and
python3-protobuf.
"""

import argparse
import glob
import importlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import types
import unittest

import grpc

ARGS = None  # parsed command line, set in main()
# Modules generated from proto/ at test time, set in setUpClass.
api = types.SimpleNamespace()

PORT_FILE_TIMEOUT_S = 20
CALL_TIMEOUT_S = 10
# At 8x the calm -> distress transition (2 simulated seconds) takes 0.25 s of
# wall time; the margin covers a loaded machine.
WATCH_TIMEOUT_S = 20
STOP_GRACE_S = 10


def generate_stubs(proto_dir, out_dir):
    """Compiles every pedisim/v1 proto into Python modules under out_dir."""
    protos = sorted(glob.glob(os.path.join(proto_dir, "pedisim", "v1", "*.proto")))
    if not protos:
        raise RuntimeError(f"no .proto files under {proto_dir}/pedisim/v1")
    command = [
        ARGS.protoc,
        f"-I{proto_dir}",
        f"--python_out={out_dir}",
        f"--grpc_out={out_dir}",
        f"--plugin=protoc-gen-grpc={ARGS.grpc_python_plugin}",
        *protos,
    ]
    subprocess.run(command, check=True)


class Controller:
    """The real pedisim-controller process, serving on an ephemeral port."""

    def __init__(self, binary, scenarios_dir, work_dir):
        self.port_file = os.path.join(work_dir, "controller.port")
        self.log_path = os.path.join(work_dir, "controller.log")
        data_dir = os.path.join(work_dir, "data")
        os.makedirs(data_dir)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [
                binary,
                "--listen", "127.0.0.1:0",
                "--port-file", self.port_file,
                "--data-dir", data_dir,
                "--scenarios-dir", scenarios_dir,
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.address = f"127.0.0.1:{self._wait_for_port()}"
        # The admin token the controller wrote on the data folder's first
        # start (before its port file).
        with open(os.path.join(data_dir, "admin.token")) as token_file:
            self.admin_token = token_file.read().strip()

    def _wait_for_port(self):
        deadline = time.monotonic() + PORT_FILE_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"controller exited with {self.process.returncode}:\n{self.log()}")
            # The controller renames a complete file into place, so any
            # content seen here is the whole port number.
            if os.path.exists(self.port_file):
                with open(self.port_file) as port_file:
                    return int(port_file.read().strip())
            time.sleep(0.05)
        raise RuntimeError(f"no port file after {PORT_FILE_TIMEOUT_S} s:\n{self.log()}")

    def log(self):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def stop(self):
        """SIGTERM, then wait; returns the exit code (killed if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode


class BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call, as the API asks."""

    def __init__(self, token):
        self._metadata = ("authorization", f"Bearer {token}")

    def _with_token(self, details):
        return details._replace(metadata=list(details.metadata or []) + [self._metadata])

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return continuation(self._with_token(client_call_details), request)


class Watcher:
    """Reads a Watch stream on a thread so the test can wait for updates."""

    def __init__(self, stub, request):
        self.call = stub.Watch(request)
        self.updates = queue.Queue()
        self.final_code = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        try:
            for update in self.call:
                self.updates.put(update)
            self.final_code = grpc.StatusCode.OK
        except grpc.RpcError as error:
            self.final_code = error.code()
        finally:
            self.updates.put(None)  # end-of-stream marker

    def next(self):
        update = self.updates.get(timeout=WATCH_TIMEOUT_S)
        if update is None:
            raise AssertionError(f"watch stream ended ({self.final_code})")
        return update

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + WATCH_TIMEOUT_S
        while time.monotonic() < deadline:
            update = self.next()
            if predicate(update):
                return update
        raise AssertionError(f"no update with {what} within {WATCH_TIMEOUT_S} s")

    def wait_for_end(self):
        """Drains the stream; returns the updates left and the final status."""
        rest = []
        while True:
            update = self.updates.get(timeout=WATCH_TIMEOUT_S)
            if update is None:
                self._thread.join(timeout=WATCH_TIMEOUT_S)
                return rest, self.final_code
            rest.append(update)

    def cancel(self):
        self.call.cancel()
        self._thread.join(timeout=WATCH_TIMEOUT_S)


def state_entered(to_state):
    return lambda update: (update.WhichOneof("update") == "event"
                           and update.event.HasField("state_change")
                           and update.event.state_change.to_state == to_state)


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work_dir = tempfile.mkdtemp(prefix="pedisim-python-client-")
        stubs_dir = os.path.join(cls.work_dir, "stubs")
        os.makedirs(stubs_dir)
        generate_stubs(ARGS.proto_dir, stubs_dir)
        sys.path.insert(0, stubs_dir)
        # Imported only now: the modules did not exist before generation.
        for name in ("actions_pb2", "event_pb2", "session_pb2", "scenario_service_pb2",
                     "scenario_service_pb2_grpc", "session_service_pb2",
                     "session_service_pb2_grpc"):
            setattr(api, name, importlib.import_module(f"pedisim.v1.{name}"))

        cls.controller = Controller(ARGS.controller_bin, ARGS.scenarios_dir, cls.work_dir)
        cls.plain_channel = grpc.insecure_channel(cls.controller.address)
        cls.channel = grpc.intercept_channel(
            cls.plain_channel, BearerToken(cls.controller.admin_token))
        grpc.channel_ready_future(cls.channel).result(timeout=CALL_TIMEOUT_S)
        cls.scenarios = api.scenario_service_pb2_grpc.ScenarioServiceStub(cls.channel)
        cls.sessions = api.session_service_pb2_grpc.SessionServiceStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.plain_channel.close()
        exit_code = cls.controller.stop()
        log = cls.controller.log()
        shutil.rmtree(cls.work_dir, ignore_errors=True)
        if exit_code != 0:
            raise AssertionError(f"controller exited with {exit_code}:\n{log}")

    def ref(self, session_id):
        return api.session_service_pb2.SessionRef(session_id=session_id)

    def create_and_start(self):
        session = self.sessions.Create(
            api.session_service_pb2.CreateSessionRequest(scenario_id="test-short", speed=8),
            timeout=CALL_TIMEOUT_S)
        self.assertEqual(session.status, api.session_pb2.SESSION_STATUS_CREATED)
        self.assertEqual(session.speed, 8)
        self.assertEqual(session.current_state, "calm")
        started = self.sessions.Start(self.ref(session.id), timeout=CALL_TIMEOUT_S)
        self.assertEqual(started.status, api.session_pb2.SESSION_STATUS_RUNNING)
        return session.id

    def assert_rpc_error(self, code, call, *args):
        with self.assertRaises(grpc.RpcError) as raised:
            call(*args, timeout=CALL_TIMEOUT_S)
        self.assertEqual(raised.exception.code(), code, raised.exception.details())

    def test_list_scenarios_includes_fixture(self):
        response = self.scenarios.List(api.scenario_service_pb2.ListScenariosRequest(),
                                       timeout=CALL_TIMEOUT_S)
        ids = [scenario.id for scenario in response.scenarios]
        self.assertIn("test-short", ids)
        self.assertEqual(ids, sorted(ids), "contract: List is sorted by id")

    def test_calls_without_a_token_are_unauthenticated(self):
        anonymous = api.session_service_pb2_grpc.SessionServiceStub(self.plain_channel)
        self.assert_rpc_error(grpc.StatusCode.UNAUTHENTICATED, anonymous.List,
                              api.session_service_pb2.ListSessionsRequest())

    def test_unknown_session_is_not_found(self):
        self.assert_rpc_error(grpc.StatusCode.NOT_FOUND, self.sessions.Get,
                              self.ref("no-such-session"))

    def test_instructor_controls_then_stop(self):
        session_id = self.create_and_start()
        watcher = Watcher(self.sessions,
                          api.session_service_pb2.WatchRequest(session_id=session_id))
        try:
            first = watcher.next()
            self.assertEqual(first.WhichOneof("update"), "snapshot")
            self.assertEqual(first.snapshot.id, session_id)

            # Paused, the clock cannot move the scenario on behind the test's
            # back, so the following steps do not depend on timing.
            paused = self.sessions.Pause(self.ref(session_id), timeout=CALL_TIMEOUT_S)
            self.assertEqual(paused.status, api.session_pb2.SESSION_STATUS_PAUSED)

            moved = self.sessions.GoToState(
                api.session_service_pb2.GoToStateRequest(
                    session_id=session_id, state="calm", reason="python client test"),
                timeout=CALL_TIMEOUT_S)
            self.assertEqual(moved.kind, api.event_pb2.EVENT_KIND_STATE_ENTERED)
            self.assertEqual(moved.state_change.to_state, "calm")

            # Oxygen fires a transition only in distress; in calm it is just logged.
            action = self.sessions.LogAction(
                api.session_service_pb2.LogActionRequest(
                    session_id=session_id, source="test_python_client",
                    action=api.actions_pb2.LearnerAction(
                        kind=api.actions_pb2.ACTION_KIND_OXYGEN, oxygen_flow_l_per_min=2)),
                timeout=CALL_TIMEOUT_S)
            self.assertEqual(action.kind, api.event_pb2.EVENT_KIND_LEARNER_ACTION)
            self.assertEqual(action.action.kind, api.actions_pb2.ACTION_KIND_OXYGEN)
            watcher.wait_for(lambda update: update.WhichOneof("update") == "event"
                             and update.event.id == action.id, "the logged oxygen event")
            self.assertEqual(
                self.sessions.Get(self.ref(session_id), timeout=CALL_TIMEOUT_S).current_state,
                "calm")

            self.assert_rpc_error(
                grpc.StatusCode.INVALID_ARGUMENT, self.sessions.SetSpeed,
                api.session_service_pb2.SetSpeedRequest(session_id=session_id, speed=100))

            stopped = self.sessions.Stop(self.ref(session_id), timeout=CALL_TIMEOUT_S)
            self.assertEqual(stopped.status, api.session_pb2.SESSION_STATUS_STOPPED)
            self.assertEqual(
                self.sessions.Get(self.ref(session_id), timeout=CALL_TIMEOUT_S).status,
                api.session_pb2.SESSION_STATUS_STOPPED)

            rest, code = watcher.wait_for_end()
            self.assertEqual(code, grpc.StatusCode.OK)
            snapshots = [update.snapshot for update in rest
                         if update.WhichOneof("update") == "snapshot"]
            self.assertTrue(snapshots, "contract: a final snapshot ends the stream")
            self.assertEqual(snapshots[-1].status, api.session_pb2.SESSION_STATUS_STOPPED)
        finally:
            watcher.cancel()

    def test_oxygen_in_distress_completes_the_scenario(self):
        session_id = self.create_and_start()
        watcher = Watcher(self.sessions,
                          api.session_service_pb2.WatchRequest(session_id=session_id))
        try:
            self.assertEqual(watcher.next().WhichOneof("update"), "snapshot")
            watcher.wait_for(state_entered("distress"), "state distress entered")
            self.sessions.LogAction(
                api.session_service_pb2.LogActionRequest(
                    session_id=session_id,
                    action=api.actions_pb2.LearnerAction(
                        kind=api.actions_pb2.ACTION_KIND_OXYGEN)),
                timeout=CALL_TIMEOUT_S)
            watcher.wait_for(state_entered("recovered"), "state recovered entered")
            rest, code = watcher.wait_for_end()
            self.assertEqual(code, grpc.StatusCode.OK)
            final = self.sessions.Get(self.ref(session_id), timeout=CALL_TIMEOUT_S)
            self.assertEqual(final.status, api.session_pb2.SESSION_STATUS_COMPLETED)
            self.assertEqual(final.current_state, "recovered")
        finally:
            watcher.cancel()


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--controller-bin", required=True)
    parser.add_argument("--proto-dir", required=True)
    parser.add_argument("--scenarios-dir", required=True)
    parser.add_argument("--protoc", default=shutil.which("protoc") or "/usr/bin/protoc")
    parser.add_argument("--grpc-python-plugin", default="/usr/bin/grpc_python_plugin")
    ARGS, unittest_args = parser.parse_known_args()
    program = unittest.main(argv=[sys.argv[0], "-v", *unittest_args], exit=False)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
