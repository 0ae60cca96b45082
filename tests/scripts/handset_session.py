"""A handset session through the official Meshtastic Python client.

Connects to a (simulated) handset node's TCP API, sends each command given on the
command line to the BBS node as a direct message with an ack requested, and prints
every text that comes back as `REPLY <text>`, one per line (all the parts of a
numbered reply, also on real airtime), then `THREADED k OF n`: how many of those n
texts carry the sent packet's id as their `replyId` (the apps thread such a text under
the message it answers). Exits non-zero when a command gets no reply within the
timeout.

usage: handset_session.py HOST PORT DEST_ID TIMEOUT_S COMMAND...
"""
import re
import sys
import threading
import time

import meshtastic.tcp_interface
from pubsub import pub

host, port, dest, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
commands = sys.argv[5:]
replies = []
arrived = threading.Condition()


def unfinished(text):
    """True for a part of a numbered reply that is not its last, "(1/3) ..."."""
    m = re.match(r"\((\d+)/(\d+)\) ", text)
    return m is not None and int(m.group(1)) < int(m.group(2))


def on_text(packet, interface):
    with arrived:
        decoded = packet.get("decoded", {})
        replies.append((decoded.get("text", ""), decoded.get("replyId", 0)))
        arrived.notify_all()


pub.subscribe(on_text, "meshtastic.receive.text")
iface = meshtastic.tcp_interface.TCPInterface(hostname=host, portNumber=port)
status = 0
try:
    for command in commands:
        with arrived:
            seen = len(replies)
        sent = iface.sendText(command, destinationId=dest, wantAck=True)
        deadline = time.monotonic() + timeout
        with arrived:
            while len(replies) == seen and time.monotonic() < deadline:
                arrived.wait(deadline - time.monotonic())
            # Let the rest of a multi-packet reply arrive: after "(1/3) ..." wait for
            # its last part (on real airtime parts come seconds apart), then for
            # anything that follows at once.
            while len(replies) > seen:
                if unfinished(replies[-1][0]) and time.monotonic() < deadline:
                    arrived.wait(deadline - time.monotonic())
                elif not arrived.wait(0.5):
                    break
            if len(replies) == seen:
                print(f"NO REPLY to {command!r}", flush=True)
                status = 1
            answers = replies[seen:]
            for text, _ in answers:
                print(f"REPLY {text}", flush=True)
            threaded = sum(1 for _, reply_id in answers if reply_id == sent.id)
            print(f"THREADED {threaded} OF {len(answers)}", flush=True)
finally:
    iface.close()
sys.exit(status)
