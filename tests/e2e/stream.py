# SPDX-License-Identifier: ISC
"""A sequence-numbered UDP stream for the reload tests.

stream.py send HOST PORT RATE SECONDS [STOP]
    Sends RATE datagrams a second for SECONDS, in bursts of one
    millisecond, each carrying its sequence number, or until the file
    STOP exists.  Prints the count.

stream.py recv PORT SECONDS OUT
    Receives on [::]:PORT until SECONDS pass without a datagram (after the
    first), noting for each datagram its sequence number, the local
    address it was sent to and when it came.  Writes a summary to OUT:
    received, lost, duplicates, out of order, the largest gap between two
    datagrams, and the sequence numbers at which the destination address
    changed.
"""
import os
import socket
import struct
import sys
import time

SO_RCVBUFFORCE = 33


def send(host, port, rate, secs, stop=None):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    per_ms = max(rate // 1000, 1)
    total = rate * secs
    seq = 0
    start = time.monotonic()
    while seq < total:
        if stop and seq % (per_ms * 100) == 0 and os.path.exists(stop):
            break
        for _ in range(per_ms):
            s.sendto(struct.pack("!Q", seq) + b"x" * 56, (host, port))
            seq += 1
        ahead = start + seq / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    print(seq)


def recv(port, idle, out):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    # Past net.core.rmem_max (212992 bytes by default, a few hundred of
    # these datagrams): a receiver kept off the CPU for a moment must not
    # lose any.  SO_RCVBUFFORCE needs root, as the tests have.
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    s.bind(("::", port))
    seen, order, last, gap, switches = set(), 0, None, 0.0, []
    dups = prev_seq = 0
    dst_prev = None
    s.settimeout(30)
    while True:
        try:
            data, anc, _, _ = s.recvmsg(64, socket.CMSG_SPACE(20))
        except socket.timeout:
            break
        now = time.monotonic()
        s.settimeout(idle)
        seq = struct.unpack("!Q", data[:8])[0]
        dst = socket.inet_ntop(socket.AF_INET6, anc[0][2][:16])
        if seq in seen:
            dups += 1
        seen.add(seq)
        if seq < prev_seq:
            order += 1
        prev_seq = seq
        if last is not None:
            gap = max(gap, now - last)
        last = now
        if dst != dst_prev:
            switches.append("%d:%s" % (seq, dst))
            dst_prev = dst
    top = max(seen) + 1 if seen else 0
    with open(out, "w") as f:
        print("received", len(seen), file=f)
        print("lost", top - len(seen), file=f)
        print("duplicates", dups, file=f)
        print("reordered", order, file=f)
        print("max_gap_ms %.2f" % (gap * 1000), file=f)
        print("switches", " ".join(switches), file=f)


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             int(sys.argv[5]), sys.argv[6] if len(sys.argv) > 6 else None)
    else:
        recv(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
