"""A clean-room client that plays doom-neuron's trainer against a virtual
CL1, from the facts of ../shared/spec/cl1-protocol.md §1-2 (stdlib only; no
doom-neuron code). It binds the spike port, prints "PORT <n>", reads the
server's "STIM EVENT FEEDBACK" ports from stdin, runs the scenario and
prints one JSON object with what it saw.

  trainer.py TICK_HZ ARTIFACT_TICKS COLLECT_TICKS
"""
import json
import math
import random
import socket
import struct
import sys
import time

STIM, SPIKE, FEEDBACK, EVENT = "<Q16f", "<Q8f", "<QBB64BIfIB32sx", "<QI"
hz, art, col = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
tick = 1 / hz

spikes = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
spikes.bind(("127.0.0.1", 0))
print("PORT", spikes.getsockname()[1], flush=True)
stim_port, event_port, fb_port = map(int, sys.stdin.readline().split())
out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rnd = random.Random(3)
res = {"replies": [], "latency_s": [], "problems": [], "extra": 0, "answered_bad": []}


def now_us():
    return int(time.time() * 1e6)


def stim(freqs=None, amps=None, raw=None):
    f = freqs or [rnd.uniform(4, 40) for _ in range(8)]
    a = amps or [rnd.uniform(1.0, 2.5) for _ in range(8)]
    out.sendto(raw if raw is not None else struct.pack(STIM, now_us(), *f, *a), ("127.0.0.1", stim_port))


def reply(timeout):
    spikes.settimeout(timeout)
    try:
        data, _ = spikes.recvfrom(4096)
    except socket.timeout:
        return None
    return data


def exchange(label):
    t0 = time.time()
    stim()
    time.sleep(0.5 * art * tick)  # the trainer sleeps before reading
    data = reply(5.0)
    if data is None:
        res["problems"].append(label + ": no reply within 5 s")
        return
    lat = time.time() - t0
    if len(data) != 40:
        res["problems"].append("%s: %d-byte reply" % (label, len(data)))
        return
    v = struct.unpack(SPIKE, data)
    counts = v[1:]
    if not all(math.isfinite(c) and c >= 0 and c == int(c) for c in counts):
        res["problems"].append("%s: counts %r" % (label, counts))
    if abs(v[0] - now_us()) > 1e6:
        res["problems"].append("%s: timestamp %d is not within 1 s of now" % (label, v[0]))
    res["replies"].append(counts)
    res["latency_s"].append(lat)


def no_extra(label):
    # Exactly one reply per stim: nothing more arrives.
    if reply((art + col + 2) * tick) is not None:
        res["extra"] += 1
        res["problems"].append(label + ": an extra datagram")


# 1. Steps as the trainer runs them.
for i in range(8):
    exchange("step %d" % i)
    no_extra("step %d" % i)
# 2. Same-frame encoding: three rounds back to back.
for r in range(3):
    exchange("round %d" % r)
no_extra("rounds")
# 3. Negative reward: an interrupt, then a 40 Hz burst on [23, 24, 26], then
# the next stim, whose interrupt cuts the burst short.
def feedback(typ, chans, f, a, n, unpred, name):
    slots = chans + [0xFF] * (64 - len(chans))
    out.sendto(struct.pack(FEEDBACK, now_us(), typ, len(chans), *slots, f, a, n, unpred, name.encode()),
               ("127.0.0.1", fb_port))

feedback(0, [23, 24, 26], 0, 0.0, 0, 0, "reward_negative")
time.sleep(1.5 * tick)
feedback(2, [23, 24, 26], 40, 2.2, 90, 1, "reward_negative")
time.sleep(8 * tick)
exchange("after feedback")
no_extra("after feedback")
# 4. Bad packets get no reply, and the server keeps answering.
good = struct.pack(STIM, now_us(), *([10.0] * 8), *([2.0] * 8))
for label, send in [
    ("71-byte stim", lambda: stim(raw=good[:71])),
    ("unknown feedback type", lambda: feedback(7, [19], 20, 2.0, 30, 0, "x")),
    ("amplitude 0", lambda: stim(amps=[2.0] * 7 + [0.0])),
    ("frequency 250", lambda: stim(freqs=[250.0] + [10.0] * 7)),
]:
    send()
    if reply((art + col + 2) * tick) is not None:
        res["answered_bad"].append(label)
exchange("after bad packets")
# 5. Events: an episode ends, then the training.
def event(kind, data):
    text = json.dumps({"timestamp": now_us(), "event_type": kind, "data": data}).encode()
    out.sendto(struct.pack(EVENT, now_us(), len(text)) + text, ("127.0.0.1", event_port))

event("episode_end", {"episode": 1, "episode_length": 57, "episode_reward": -12.5})
time.sleep(2 * tick)
res["sent_complete"] = time.time()
event("training_complete", {"total_episodes": 1, "total_steps": 11, "reason": "max_episodes_reached"})
print(json.dumps(res), flush=True)
