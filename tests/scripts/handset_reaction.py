"""A tap on the new-mail notice, as the official Meshtastic Python client sends it.

Connects to two (simulated) handset nodes' TCP APIs, Alice's and Bob's. Bob says
`ping` (so he is active), Alice mails him, and Bob's client sees the BBS's notice.
Bob then reacts to that notice packet as the apps do: a TEXT_MESSAGE_APP packet whose
payload is the emoji, `decoded.emoji = 1` and `decoded.reply_id` = the notice's id
(mesh.proto `Data`). Prints `NOTICE <text>`, then `AFTER_TAP <n>` (texts Bob got in
the seconds after his tap: a reaction is never answered), then `MAIL <text>` for every
packet of the reply to Bob's `mail`.

usage: handset_reaction.py HOST ALICE_PORT BOB_PORT DEST_ID TIMEOUT_S
"""
import sys
import threading
import time

import meshtastic.tcp_interface
from meshtastic.protobuf import mesh_pb2, portnums_pb2
from pubsub import pub

host, alice_port, bob_port, dest, timeout = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
texts = {"alice": [], "bob": []}
arrived = threading.Condition()
ifaces = {}


def on_text(packet, interface):
    who = "alice" if interface is ifaces.get("alice") else "bob"
    with arrived:
        texts[who].append((packet.get("decoded", {}).get("text", ""), packet.get("id", 0)))
        arrived.notify_all()


def wait_for(who, seen, secs=timeout):
    """The texts `who` got after the first `seen`, once one came (or `secs` passed)."""
    deadline = time.monotonic() + secs
    with arrived:
        while len(texts[who]) == seen and time.monotonic() < deadline:
            arrived.wait(deadline - time.monotonic())
        arrived.wait(0.5)
        return texts[who][seen:]


def ask(who, command):
    seen = len(texts[who])
    ifaces[who].sendText(command, destinationId=dest, wantAck=True)
    return wait_for(who, seen)


pub.subscribe(on_text, "meshtastic.receive.text")
ifaces["alice"] = meshtastic.tcp_interface.TCPInterface(hostname=host, portNumber=alice_port)
ifaces["bob"] = meshtastic.tcp_interface.TCPInterface(hostname=host, portNumber=bob_port)
try:
    ask("bob", "ping")
    ask("alice", "ping")
    seen = len(texts["bob"])
    ask("alice", "mail Bob Lunch at the square?")
    notice = wait_for("bob", seen)
    for text, _ in notice:
        print(f"NOTICE {text}", flush=True)
    tap = mesh_pb2.MeshPacket()
    tap.decoded.portnum = portnums_pb2.PortNum.TEXT_MESSAGE_APP
    tap.decoded.payload = "\U0001f44d".encode()
    tap.decoded.emoji = 1
    tap.decoded.reply_id = notice[-1][1]
    tap.id = ifaces["bob"]._generatePacketId()
    seen = len(texts["bob"])
    ifaces["bob"]._sendPacket(tap, dest, wantAck=True)
    print(f"AFTER_TAP {len(wait_for('bob', seen, 3.0))}", flush=True)
    for text, _ in ask("bob", "mail"):
        print(f"MAIL {text}", flush=True)
finally:
    for iface in ifaces.values():
        iface.close()
