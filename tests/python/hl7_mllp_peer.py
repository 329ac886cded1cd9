#!/usr/bin/python3
"""An HL7 receiver for tests: a hospital system's MLLP listener, built on
Debian's python3-hl7 (an HL7 parser and MLLP framing independent of
PediSim's). It parses every ORU^R01 it receives, writes what it understood
as one JSON object per line, and answers with an ACK.

  --port-file F    the chosen port is written here (atomically) once bound
  --out F          one JSON line per received message
  --ack CODE       MSA-1 of the answers: AA (default), AE, AR, or "none"
  --close-after N  close the first connection after answering N messages
  --listen-when F  bind at once but listen only once file F exists, so a
                   sender meets "connection refused" on a known port first

Each line holds the fields a test checks plus "problems": what this side
found wrong with the message (empty when it is well formed).
"""

import argparse
import asyncio
import json
import os
import socket
import sys

import hl7
import hl7.mllp


def text(field):
    return str(field) if field is not None else ""


def component(field, number):
    """Component `number` (1-based) of a field's first repetition; python-hl7
    leaves a field without components as a plain string."""
    repetition = field if isinstance(field, str) else field(1)
    if isinstance(repetition, str):
        return repetition if number == 1 else ""
    return text(repetition(number))


def describe(raw):
    """What an independent HL7 parser reads in one message."""
    problems = []
    message = hl7.parse(raw)
    msh = message.segment("MSH")
    order = [str(segment(0)) for segment in message]
    if order[:4] != ["MSH", "PID", "PV1", "OBR"]:
        problems.append("segments start %s, not MSH PID PV1 OBR" % order[:4])
    if any(name != "OBX" for name in order[4:]):
        problems.append("after OBR only OBX may follow: %s" % order[4:])
    if text(msh(9)) != "ORU^R01^ORU_R01":
        problems.append("MSH-9 is %r" % text(msh(9)))
    pid = message.segment("PID")
    pv1 = message.segment("PV1")
    observations = []
    equipment = []
    for obx in message.segments("OBX"):
        equipment.append(text(obx(18)))
        if text(obx(2)) != "NM":
            continue  # the monitor's own row (1.0.0.0) has no value
        observations.append({
            "code": component(obx(3), 1),
            "ref": component(obx(3), 2),
            "coding": component(obx(3), 3),
            "sub_id": text(obx(4)),
            "value": float(text(obx(5))),
            "unit_code": component(obx(6), 1),
            "unit": component(obx(6), 2),
            "range": text(obx(7)),
            "flag": text(obx(8)),
            "status": text(obx(11)),
            "time": text(obx(14)),
        })
    return {
        "control_id": text(msh(10)),
        "message_type": text(msh(9)),
        "processing_id": text(msh(11)),
        "version": text(msh(12)),
        "profile": component(msh(21), 1),
        "patient_id": component(pid(3), 1),
        "patient_name": message.unescape(text(pid(5))),
        "patient_family_name": component(pid(5), 1),
        "patient_given_name": component(pid(5), 2),
        "patient_class": text(pv1(2)),
        "point_of_care": component(pv1(3), 1),
        "room": component(pv1(3), 2),
        "bed": component(pv1(3), 3),
        # OBX-18 of every OBX (the monitor's first), as sent.
        "equipment": equipment,
        "sex": text(pid(8)),
        "obx": observations,
        "problems": problems,
    }


class Peer:
    def __init__(self, options):
        self.options = options
        self.out = open(options.out, "a", encoding="utf-8")
        self.closed_once = False

    async def serve(self, reader, writer):
        answered = 0
        try:
            while True:
                block = await reader.readblock()
                raw = block.decode("utf-8")
                try:
                    record = describe(raw)
                except Exception as error:  # a malformed message is a finding
                    record = {"problems": ["unparseable: %r" % error], "raw": raw}
                record["ack"] = self.options.ack
                self.out.write(json.dumps(record) + "\n")
                self.out.flush()
                if self.options.ack != "none":
                    ack = hl7.parse(raw).create_ack(self.options.ack)
                    writer.writeblock(str(ack).encode("utf-8"))
                    await writer.drain()
                answered += 1
                if (self.options.close_after and not self.closed_once
                        and answered >= self.options.close_after):
                    self.closed_once = True
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the sender went away
        writer.close()


async def main(options):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    temporary = options.port_file + ".tmp"
    with open(temporary, "w", encoding="utf-8") as port_file:
        port_file.write(str(listener.getsockname()[1]))
    os.replace(temporary, options.port_file)
    while options.listen_when and not os.path.exists(options.listen_when):
        await asyncio.sleep(0.02)
    peer = Peer(options)
    server = await hl7.mllp.start_hl7_server(peer.serve, sock=listener)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ack", default="AA", choices=["AA", "AE", "AR", "none"])
    parser.add_argument("--close-after", type=int, default=0)
    parser.add_argument("--listen-when", default="")
    try:
        asyncio.run(main(parser.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
