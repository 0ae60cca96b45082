"""An independent check of meshmush's MQTT crypto, written against the Meshtastic
protobufs (the `meshtastic` package), paho-mqtt and `cryptography`: nothing of meshmush.

It joins the broker as a gateway with a handset behind it, announces the handset's
X25519 key (asking for the BBS's NodeInfo back), decrypts the BBS's NodeInfo with the
default channel key (AES-CTR), sends the BBS one DM on the channel key and one by PKI
(X25519, SHA-256, AES-CCM), then decrypts the BBS's PKI reply.
Prints one line per finding; exits non-zero on failure.

usage: mqtt_check.py HOST PORT ROOT BBS_NODE_NUM
"""
import hashlib
import os
import queue
import struct
import sys
import time

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from cryptography.hazmat.primitives import serialization
from meshtastic.protobuf import mesh_pb2, mqtt_pb2, portnums_pb2

host, port, root, bbs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
HANDSET = 0x4D4D2000
GATEWAY = "!4d4d2009"
# The firmware's default PSK, as published in its Channels.h; "AQ==" names it.
DEFAULT_PSK = bytes.fromhex("d4f1bb3a20290759f0bcffabcf4e6901")


def nonce(sender, packet_id, extra=0):
    n = bytearray(struct.pack("<Q", packet_id) + struct.pack("<I", sender) + b"\0" * 4)
    if extra:
        n[4:8] = struct.pack("<I", extra)
    return bytes(n)


def ctr(key, sender, packet_id, data):
    c = Cipher(algorithms.AES(key), modes.CTR(nonce(sender, packet_id))).encryptor()
    return c.update(data) + c.finalize()


def channel_hash(name, key):
    h = 0
    for b in name.encode() + key:
        h ^= b
    return h


priv = X25519PrivateKey.generate()
pub = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
inbox = queue.Queue()

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="independent-check")
client.on_message = lambda c, u, m: inbox.put((m.topic, m.payload))
client.connect(host, port)
client.subscribe(f"{root}/2/e/+/+", qos=1)
client.loop_start()
time.sleep(0.5)


def publish(packet, channel):
    env = mqtt_pb2.ServiceEnvelope(packet=packet, channel_id=channel, gateway_id=GATEWAY)
    client.publish(f"{root}/2/e/{channel}/{GATEWAY}", env.SerializeToString(), qos=1)


def on_channel(packet_id, to, data):
    p = mesh_pb2.MeshPacket()
    setattr(p, "from", HANDSET)
    p.to = to
    p.id = packet_id
    p.hop_limit = 3
    p.hop_start = 3
    p.channel = channel_hash("LongFast", DEFAULT_PSK)
    p.encrypted = ctr(DEFAULT_PSK, HANDSET, packet_id, data.SerializeToString())
    return p


user = mesh_pb2.User(id="!4d4d2000", long_name="Independent", short_name="IND", public_key=pub)
info = mesh_pb2.Data(portnum=portnums_pb2.NODEINFO_APP, payload=user.SerializeToString(),
                     want_response=True, bitfield=1)
publish(on_channel(1001, 0xFFFFFFFF, info), "LongFast")


def next_from_bbs(deadline):
    while time.time() < deadline:
        try:
            topic, payload = inbox.get(timeout=0.2)
        except queue.Empty:
            continue
        env = mqtt_pb2.ServiceEnvelope()
        env.ParseFromString(payload)
        if getattr(env.packet, "from") == bbs:
            return env
    sys.exit("timed out waiting for the BBS")


bbs_key = None
deadline = time.time() + 20
while bbs_key is None:
    env = next_from_bbs(deadline)
    p = env.packet
    if env.channel_id != "LongFast":
        continue
    assert p.channel == channel_hash("LongFast", DEFAULT_PSK), p.channel
    data = mesh_pb2.Data()
    data.ParseFromString(ctr(DEFAULT_PSK, bbs, p.id, p.encrypted))
    if data.portnum == portnums_pb2.NODEINFO_APP:
        u = mesh_pb2.User()
        u.ParseFromString(data.payload)
        bbs_key = u.public_key
        print(f"NODEINFO {u.id} {len(bbs_key)}", flush=True)

text = mesh_pb2.Data(portnum=portnums_pb2.TEXT_MESSAGE_APP, payload=b"who", bitfield=1)
publish(on_channel(1002, bbs, text), "LongFast")

shared = priv.exchange(X25519PublicKey.from_public_bytes(bbs_key))
key = hashlib.sha256(shared).digest()
extra = int.from_bytes(os.urandom(4), "little") | 1
plain = mesh_pb2.Data(portnum=portnums_pb2.TEXT_MESSAGE_APP, payload=b"look", bitfield=1)
sealed = AESCCM(key, tag_length=8).encrypt(nonce(HANDSET, 1003, extra)[:13], plain.SerializeToString(), None)
p = mesh_pb2.MeshPacket()
setattr(p, "from", HANDSET)
p.to = bbs
p.id = 1003
p.hop_limit = 3
p.hop_start = 3
p.channel = 0
p.pki_encrypted = True
p.encrypted = sealed + struct.pack("<I", extra)
publish(p, "PKI")
print("SENT", flush=True)

deadline = time.time() + 20
while True:
    env = next_from_bbs(deadline)
    p = env.packet
    if env.channel_id != "PKI" or p.to != HANDSET:
        continue
    wire = p.encrypted
    extra = struct.unpack("<I", wire[-4:])[0]
    plain = AESCCM(key, tag_length=8).decrypt(nonce(bbs, p.id, extra)[:13], wire[:-4], None)
    data = mesh_pb2.Data()
    data.ParseFromString(plain)
    print(f"REPLY {data.payload.decode()} ok_to_mqtt={data.bitfield & 1}", flush=True)
    break
client.loop_stop()
