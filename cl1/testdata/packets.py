"""Packets of doom-neuron's UDP protocol built and read with Python's struct
module from the format strings of ../shared/spec/cl1-protocol.md §1 (a
clean-room client; no doom-neuron code).

  packets.py gen N SEED   print N random packets of each kind, one JSON per line
  packets.py parse        read {"kind", "hex"} lines, print their fields
"""
import json
import random
import struct
import sys

STIM, SPIKE, FEEDBACK, EVENT = "<Q16f", "<Q8f", "<QBB64BIfIB32sx", "<QI"


def gen(n, seed):
    rnd = random.Random(seed)
    for _ in range(n):
        ts = rnd.randrange(2**64)
        f = [rnd.uniform(1, 200.9) for _ in range(8)]
        a = [rnd.choice([-1, 1]) * rnd.uniform(0.01, 3.0) for _ in range(8)]
        b = struct.pack(STIM, ts, *f, *a)
        # unpack gives the float32 values the packet holds
        v = struct.unpack(STIM, b)
        print(json.dumps({"kind": "stim", "hex": b.hex(), "ts": ts, "freq": v[1:9], "amp": v[9:17]}))

        counts = [float(rnd.randrange(0, 500)) for _ in range(8)]
        b = struct.pack(SPIKE, ts, *counts)
        print(json.dumps({"kind": "spike", "hex": b.hex(), "ts": ts, "counts": counts}))

        typ = rnd.randrange(3)
        usable = [c for c in range(64) if c not in (0, 4, 7, 56, 63)]
        chans = rnd.sample(usable, rnd.randrange(0, 10))
        slots = chans + [0xFF] * (64 - len(chans))
        freq = rnd.randrange(1, 201)
        amp = struct.unpack("<f", struct.pack("<f", rnd.uniform(0.1, 3.0)))[0]
        pulses = rnd.randrange(1, 1000)
        unpred = rnd.randrange(2)
        name = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rnd.randrange(0, 33)))
        b = struct.pack(FEEDBACK, ts, typ, len(chans), *slots, freq, amp, pulses, unpred, name.encode())
        print(json.dumps({"kind": "feedback", "hex": b.hex(), "ts": ts, "type": typ, "channels": chans, "freq": freq,
                          "amp": amp, "pulses": pulses, "unpredictable": unpred, "name": name}))

        data = {"episode": rnd.randrange(1000), "episode_reward": rnd.uniform(-100, 100), "name": "e\u00e9\"x"}
        etype = rnd.choice(["episode_end", "training_complete"])
        text = json.dumps({"timestamp": ts, "event_type": etype, "data": data}).encode()
        b = struct.pack(EVENT, ts, len(text)) + text
        print(json.dumps({"kind": "event", "hex": b.hex(), "ts": ts, "type": etype, "data": data}))


def parse():
    for line in sys.stdin:
        p = json.loads(line)
        b = bytes.fromhex(p["hex"])
        if p["kind"] == "stim":
            v = struct.unpack(STIM, b)
            out = {"ts": v[0], "freq": v[1:9], "amp": v[9:17]}
        elif p["kind"] == "spike":
            v = struct.unpack(SPIKE, b)
            out = {"ts": v[0], "counts": v[1:9]}
        elif p["kind"] == "feedback":
            v = struct.unpack(FEEDBACK, b)
            n = v[2]
            out = {"ts": v[0], "type": v[1], "channels": [c for c in v[3:3 + n] if c != 0xFF], "freq": v[67],
                   "amp": v[68], "pulses": v[69], "unpredictable": v[70], "name": v[71].rstrip(b"\0").decode()}
        else:
            ts, n = struct.unpack(EVENT, b[:12])
            body = json.loads(b[12:12 + n].decode())
            out = {"ts": ts, "length_ok": n == len(b) - 12, "type": body["event_type"], "data": body["data"]}
        print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    else:
        parse()
