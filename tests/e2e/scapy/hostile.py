# SPDX-License-Identifier: ISC
"""
hostile: a flood of malformed and adversarial packets from both sides of
the translator, with sequence-numbered valid UDP datagrams mixed in.

The packets are built once with scapy, as bytes, then written as frames
with AF_PACKET sockets on the end hosts' links, paced, in a tight loop.
Usage: hostile.py RATE HOSTILE_PER_SIDE VALID_PER_SIDE

Prints "sent <kind> <n>" per kind, then "valid <direction> <received>
<intact> <sent>"; exits 0 once the flood is sent, whatever arrived: the
shell script checks the figures.
"""
import random
import socket
import struct
import sys
import time

from scapy.all import (ICMP, IP, TCP, UDP, ICMPerror, ICMPv6DestUnreach,
                       ICMPv6EchoRequest, ICMPv6TimeExceeded, IPerror,
                       IPerror6, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw, UDPerror,
                       raw)

from tmnet import (V4_CLIENT, V4_SERVER, V6_CLIENT, V6_SERVER, mac_of, netns,
                   ns_name)

# Ports of the valid datagrams; the hostile ones never use them.
PORT4 = 47001      # on the client, from the server
PORT6 = 47002      # on the server, from the client
HOSTILE_PORTS = (9, 53, 7, 123, 33434)
V4_NO_EAM = "192.0.2.99"            # routed into the tun, no mapping
V6_UNMAPPED = "2001:db8:ffff::1"    # routed into the tun, no mapping
V6_OTHER = "2001:db8::200"          # on the server's link, no mapping
BATCH = 32
SO_RCVBUFFORCE = 33

rnd = random.Random(7915)


def junk(lo, hi):
    return bytes(rnd.getrandbits(8) for _ in range(rnd.randint(lo, hi)))


def hport():
    return rnd.choice(HOSTILE_PORTS)


def set_ip4_len(b, n):
    """Give an IPv4 header a total length of n, checksum made right."""
    b = bytearray(b)
    b[2:4] = n.to_bytes(2, "big")
    return ip4_fix_sum(b)


def ip4_fix_sum(b):
    ihl = (b[0] & 15) * 4
    b[10:12] = b"\0\0"
    s = sum(struct.unpack(f"!{ihl // 2}H", bytes(b[:ihl])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    b[10:12] = (~s & 0xffff).to_bytes(2, "big")
    return bytes(b)


# ---- IPv4, from the client ---------------------------------------------------

def ip4(**kw):
    kw.setdefault("src", V4_CLIENT)
    kw.setdefault("dst", V4_SERVER)
    return IP(**kw)


def udp4(data=b"x" * 16, **kw):
    return raw(ip4(**kw) / UDP(sport=40000, dport=hport()) / data)


def kinds4():
    k = {}
    k["v4-truncated-transport"] = [
        raw(ip4(proto=6) / junk(0, 19)) for _ in range(20)] + [
        raw(ip4(proto=17) / junk(0, 7)) for _ in range(20)] + [
        raw(ip4(proto=1) / junk(0, 3)) for _ in range(10)]
    k["v4-truncated-header"] = [udp4()[:n] for n in range(1, 20)]
    k["v4-total-length-long"] = [
        set_ip4_len(udp4(), 44 + n) for n in (1, 100, 1000, 65535 - 44)]
    k["v4-total-length-short"] = [
        set_ip4_len(udp4(junk(40, 200)), n) for n in range(28, 60)]
    k["v4-total-length-below-ihl"] = [
        set_ip4_len(udp4(), n) for n in range(0, 20)]
    k["v4-bad-ihl"] = [
        ip4_fix_sum(bytearray(bytes([0x40 | i]) + udp4()[1:]))
        for i in range(0, 5)] + [
        raw(ip4(options=[Raw(junk(40, 40))]) / UDP(dport=hport()))
        for _ in range(10)] + [
        raw(ip4(options=[Raw(b"\x01" * 39 + b"\x00")]) /
            UDP(dport=hport()) / junk(0, 64)) for _ in range(10)]
    k["v4-bad-checksum"] = [
        raw(ip4(chksum=rnd.randint(1, 0xfffe)) / UDP(dport=hport()) /
            junk(0, 64)) for _ in range(50)]
    k["v4-frag-overlap"] = [
        raw(ip4(id=i, flags="MF", frag=o) / junk(16, 64))
        for i in range(100, 300) for o in (0, 1, 2)]
    k["v4-frag-never-complete"] = [
        raw(ip4(id=i, flags="MF", frag=rnd.randint(1, 8000), proto=17) /
            junk(8, 64)) for i in range(1000, 3000)]
    k["v4-frag-icmp"] = [
        raw(ip4(id=i, flags="MF") / ICMP() / junk(8, 32))
        for i in range(20)] + [
        raw(ip4(id=i, frag=3, proto=1) / junk(8, 32)) for i in range(20)]
    k["v4-frag-tiny"] = [
        raw(ip4(id=i, flags="MF", proto=17) / junk(1, 7)) for i in range(20)]
    inner = IPerror(src=V4_SERVER, dst=V4_CLIENT) / UDPerror(dport=hport())
    k["v4-icmp-error-quoting-error"] = [
        raw(ip4() / ICMP(type=3, code=1) /
            IPerror(src=V4_SERVER, dst=V4_CLIENT) / ICMPerror(type=t, code=1) /
            inner) for t in (3, 11, 12)] + [
        raw(ip4() / ICMP(type=11) / IPerror(src=V4_SERVER, dst=V4_CLIENT) /
            ICMPerror(type=3) / IPerror(src=V4_SERVER, dst=V4_CLIENT) /
            ICMPerror(type=11) / inner)]
    k["v4-icmp-error-truncated-quote"] = [
        raw(ip4() / ICMP(type=3, code=3) / raw(inner)[:n])
        for n in range(0, 28)] + [
        raw(ip4() / ICMP(type=3, code=3) /
            set_ip4_len(raw(inner), 1000))]
    k["v4-icmp-error-garbage-quote"] = [
        raw(ip4() / ICMP(type=t, code=c) / junk(0, 120))
        for t in (3, 4, 5, 11, 12) for c in range(0, 16)]
    k["v4-icmp-bad-checksum"] = [
        raw(ip4() / ICMP(type=t, chksum=rnd.randint(1, 0xfffe)) /
            raw(inner)) for t in (0, 3, 8, 11) for _ in range(5)]
    k["v4-untranslatable"] = [
        udp4(src="169.254.1.1"), udp4(src="100.64.0.1"),
        udp4(src="192.0.0.8"), udp4(dst=V4_NO_EAM),
        raw(ip4(dst=V4_NO_EAM) / ICMP()),
        raw(ip4() / ICMP(type=3) /
            IPerror(src=V4_SERVER, dst="169.254.9.9") / UDPerror())]
    k["v4-random-after-header"] = [
        raw(ip4(proto=rnd.randint(0, 255)) / junk(0, 300))
        for _ in range(50)] + [
        raw(ip4() / UDP(dport=hport()) / junk(0, 300)) for _ in range(20)] + [
        raw(ip4() / TCP(dport=hport(), flags=rnd.randint(0, 255)) /
            junk(0, 300)) for _ in range(20)] + [
        raw(ip4() / ICMP(type=rnd.randint(0, 255), code=rnd.randint(0, 255))
            / junk(0, 300)) for _ in range(50)]
    return k


# ---- IPv6, from the server ---------------------------------------------------

def ip6(**kw):
    kw.setdefault("src", V6_SERVER)
    kw.setdefault("dst", V6_CLIENT)
    return IPv6(**kw)


def set_plen(b, n):
    return b[:4] + n.to_bytes(2, "big") + b[6:]


def dos(n):
    """n Destination Options headers of 8 bytes, chained."""
    h = IPv6ExtHdrDestOpt()
    for _ in range(n - 1):
        h = h / IPv6ExtHdrDestOpt()
    return h


def kinds6():
    k = {}
    u = UDP(sport=40000, dport=53) / (b"y" * 16)
    k["v6-truncated-transport"] = [
        raw(ip6(nh=6) / junk(0, 19)) for _ in range(20)] + [
        raw(ip6(nh=17) / junk(0, 7)) for _ in range(20)] + [
        raw(ip6(nh=58) / junk(0, 3)) for _ in range(10)] + [
        set_plen(raw(ip6() / u), 0)]
    k["v6-truncated-header"] = [raw(ip6() / u)[:n] for n in range(1, 40)]
    k["v6-payload-length-long"] = [
        set_plen(raw(ip6() / u), n) for n in (25, 100, 1000, 65535)]
    k["v6-payload-length-short"] = [
        set_plen(raw(ip6() / u / junk(40, 200)), n) for n in range(1, 24)]
    k["v6-ext-many"] = [
        raw(ip6() / dos(n) / u) for n in (2, 8, 16, 40, 100, 150)] + [
        raw(ip6() / IPv6ExtHdrHopByHop() / dos(n) / u) for n in (4, 30)] + [
        raw(ip6() / dos(3) / IPv6ExtHdrFragment(id=7) / dos(3) / u)]
    k["v6-ext-overrun"] = [
        raw(ip6() / IPv6ExtHdrDestOpt(len=n, nh=17) / junk(0, 40))
        for n in (1, 2, 10, 255)] + [
        raw(ip6(nh=60)), raw(ip6(nh=60) / b"\x3c"),
        raw(ip6(nh=44) / b"\x11\x00"),
        raw(ip6() / dos(5) / IPv6ExtHdrDestOpt(len=200, nh=60))]
    k["v6-routing-header"] = [
        raw(ip6() / IPv6ExtHdrRouting(type=t, segleft=s,
                                      addresses=["2001:db8::5"]) / u)
        for t in (0, 2, 3, 4) for s in (0, 1)]
    k["v6-frag-overlap"] = [
        raw(ip6() / IPv6ExtHdrFragment(id=i, m=1, offset=o, nh=17) /
            junk(16, 64)) for i in range(100, 300) for o in (0, 1, 2)]
    k["v6-frag-never-complete"] = [
        raw(ip6() / IPv6ExtHdrFragment(id=i, m=1, offset=rnd.randint(1, 8000),
                                       nh=17) / junk(8, 64))
        for i in range(1000, 3000)]
    k["v6-frag-icmp"] = [
        raw(ip6() / IPv6ExtHdrFragment(id=i, m=1) / ICMPv6EchoRequest() /
            junk(8, 32)) for i in range(20)] + [
        raw(ip6() / IPv6ExtHdrFragment(id=i) / ICMPv6EchoRequest())
        for i in range(20)]
    k["v6-frag-in-frag"] = [
        raw(ip6() / IPv6ExtHdrFragment(id=i, m=1) /
            IPv6ExtHdrFragment(id=i + 1, offset=5) / u) for i in range(20)]
    inner = IPerror6(src=V6_CLIENT, dst=V6_SERVER) / UDPerror(dport=53)
    k["v6-icmp-error-quoting-error"] = [
        raw(ip6() / ICMPv6DestUnreach(code=c) /
            IPerror6(src=V6_CLIENT, dst=V6_SERVER) /
            ICMPv6DestUnreach(code=c) / inner) for c in range(5)] + [
        raw(ip6() / ICMPv6TimeExceeded() /
            IPerror6(src=V6_CLIENT, dst=V6_SERVER) / ICMPv6TimeExceeded() /
            IPerror6(src=V6_CLIENT, dst=V6_SERVER) / ICMPv6DestUnreach() /
            inner)]
    k["v6-icmp-error-truncated-quote"] = [
        raw(ip6() / ICMPv6DestUnreach() / raw(inner)[:n])
        for n in range(0, 48)] + [
        raw(ip6() / ICMPv6DestUnreach() / set_plen(raw(inner), 2000)),
        raw(ip6() / ICMPv6DestUnreach() /
            IPerror6(src=V6_CLIENT, dst=V6_SERVER) / dos(30) / UDPerror())]
    k["v6-icmp-error-garbage-quote"] = [
        raw(ip6() / ICMPv6DestUnreach(type=t, code=c) / junk(0, 120))
        for t in (1, 2, 3, 4) for c in range(0, 8)]
    k["v6-icmp-bad-checksum"] = [
        raw(ip6() / ICMPv6DestUnreach(cksum=rnd.randint(1, 0xfffe)) /
            raw(inner)) for _ in range(20)]
    k["v6-untranslatable"] = [
        raw(ip6(dst="2001:db8:64::7f00:1") / u),
        raw(ip6(dst="2001:db8:64::a9fe:101") / u),
        raw(ip6(dst="2001:db8:64::e000:1") / u),
        raw(ip6(dst="2001:db8:64::") / u),
        raw(ip6(src=V6_OTHER) / u),
        raw(ip6(dst=V6_UNMAPPED) / u),
        raw(ip6() / ICMPv6DestUnreach() /
            IPerror6(src=V6_CLIENT, dst="2001:db8:64::7f00:1") / UDPerror())]
    k["v6-random-after-header"] = [
        raw(ip6(nh=rnd.randint(0, 255)) / junk(0, 300))
        for _ in range(50)] + [
        raw(ip6() / UDP(dport=hport()) / junk(0, 300)) for _ in range(20)] + [
        raw(ip6() / TCP(dport=hport(), flags=rnd.randint(0, 255)) /
            junk(0, 300)) for _ in range(20)] + [
        raw(ip6(nh=58) / bytes([rnd.randint(0, 255), rnd.randint(0, 255)]) /
            junk(2, 300)) for _ in range(50)]
    return k


# ---- valid traffic -------------------------------------------------------------

def valid_data(direction, seq):
    return f"{direction} {seq:06d} ".encode() + bytes(range(seq % 200)) * 2


def valid4(seq):
    """Client to server: arrives at PORT6 on the server."""
    return raw(IP(src=V4_CLIENT, dst=V4_SERVER) /
               UDP(sport=PORT4, dport=PORT6) / valid_data("4to6", seq))


def valid6(seq):
    """Server to client: arrives at PORT4 on the client."""
    return raw(IPv6(src=V6_SERVER, dst=V6_CLIENT) /
               UDP(sport=PORT6, dport=PORT4) / valid_data("6to4", seq))


# ---- sending -------------------------------------------------------------------

def link(role, gw_link, ethertype):
    """An AF_PACKET socket on the host's link and its frame header."""
    with netns(ns_name("T")):
        gw = bytes.fromhex(mac_of(gw_link).replace(":", ""))
    with netns(ns_name(role)):
        me = bytes.fromhex(mac_of("eth0").replace(":", ""))
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind(("eth0", 0))
    return s, gw + me + struct.pack("!H", ethertype)


def receiver(role, family, port):
    with netns(ns_name(role)):
        s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", port))
    return s


def schedule(kinds, nhostile, valid, nvalid, counts):
    """nhostile frames cycling through the kinds, nvalid valid ones spread
    evenly among them."""
    pool = [(name, b) for name, pkts in kinds.items() for b in pkts]
    rnd.shuffle(pool)
    out = []
    every = max(1, nhostile // nvalid)
    seq = 0
    for i in range(nhostile):
        name, b = pool[i % len(pool)]
        counts[name] = counts.get(name, 0) + 1
        out.append(b)
        if i % every == every - 1 and seq < nvalid:
            out.append(valid(seq))
            seq += 1
    while seq < nvalid:
        out.append(valid(seq))
        seq += 1
    return out


def drain(sock, direction, nvalid, timeout=3.0):
    """The valid datagrams that arrived, and how many of them intact."""
    seen, intact = set(), 0
    sock.settimeout(timeout)
    while len(seen) < nvalid:
        try:
            data = sock.recv(65535)
        except socket.timeout:
            break
        try:
            seq = int(data.split(b" ")[1])
        except (IndexError, ValueError):
            continue
        if seq in seen:
            continue
        seen.add(seq)
        if data == valid_data(direction, seq):
            intact += 1
    return len(seen), intact


def main():
    rate, nhostile, nvalid = (int(a) for a in sys.argv[1:4])
    counts = {}
    out4, hdr4 = link("C", "to-client", 0x0800)
    out6, hdr6 = link("S", "to-server", 0x86dd)
    rx6 = receiver("S", socket.AF_INET6, PORT6)
    rx4 = receiver("C", socket.AF_INET, PORT4)
    f4 = [hdr4 + b for b in schedule(kinds4(), nhostile, valid4, nvalid,
                                     counts)]
    f6 = [hdr6 + b for b in schedule(kinds6(), nhostile, valid6, nvalid,
                                     counts)]
    # One batch from each side per tick, at rate frames a second in all.
    tick = 2 * BATCH / rate
    start = time.monotonic()
    n = max(len(f4), len(f6))
    errors = 0
    for i, at in enumerate(range(0, n, BATCH)):
        for sock, frames in ((out4, f4), (out6, f6)):
            for f in frames[at:at + BATCH]:
                try:
                    sock.send(f)
                except OSError:
                    errors += 1
        delay = start + (i + 1) * tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    took = time.monotonic() - start
    for name in sorted(counts):
        print(f"sent {name} {counts[name]}")
    print(f"frames {len(f4) + len(f6)} in {took:.1f} s, "
          f"{(len(f4) + len(f6)) / took:.0f} a second, "
          f"{errors} send errors")
    got, intact = drain(rx6, "4to6", nvalid)
    print(f"valid 4to6 {got} {intact} {nvalid}")
    got, intact = drain(rx4, "6to4", nvalid)
    print(f"valid 6to4 {got} {intact} {nvalid}")
    print(f"senderrors {errors}")


if __name__ == "__main__":
    main()
