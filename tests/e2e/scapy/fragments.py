# SPDX-License-Identifier: ISC
"""
fragments: RFC 7915 fragments and sizes: fragments translated one by one,
DF=0 IPv4 packets split for IPv6, DF=1 packets and IPv6 packets too big
for the next hop, and ICMP in fragments.  Usage: fragments.py CASE [ARGS].
"""
import random
import socket

from scapy.all import (ICMP, IP, UDP, ICMPv6EchoRequest, ICMPv6PacketTooBig,
                       IPerror, IPv6, IPv6ExtHdrFragment, fragment, fragment6)

from tmnet import (V4_CLIENT, V4_DUMMY, V4_SERVER, V6_CLIENT, V6_SERVER,
                   WAIT, Fail, client, expect, expect_checksums, expect_eq,
                   frag_of, icmp4_about, main, new_port, payload, server,
                   udp_to)

# Waits end when what is awaited comes; these bound a slow translator.
TIMEOUT = WAIT
# After the fragments expected, how long more may still come.
EXTRA = 1.0


def receiver(host, family, port):
    """A UDP socket on host, bound to port, so its kernel reassembles."""
    s = host.socket(family)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", port))
    s.settimeout(TIMEOUT)
    return s


def reassembled(sock, data, peer):
    """The socket got the whole datagram, so the kernel reassembled it."""
    try:
        got, addr = sock.recvfrom(65535)
    except socket.timeout:
        raise Fail(f"no datagram reached the socket in {TIMEOUT} s") from None
    print(f"  the socket got {len(got)} bytes from {addr[0]}")
    expect_eq("sender", peer, addr[0])
    expect(got == data, f"{len(got)} bytes differ from the {len(data)} sent")


def frag_fields6(p):
    f = p[IPv6ExtHdrFragment]
    return f.id, f.offset, f.m, f.nh, p.plen - 8


def frag_fields4(p):
    return p.id, p.frag, int(p.flags.MF), p.proto, p.len - p.ihl * 4


# ---- IPv4 -> IPv6 ----------------------------------------------------------

def v4_fragments(port, data, ident):
    pkt = (IP(src=V4_CLIENT, dst=V4_SERVER, id=ident, flags=0) /
           UDP(sport=40000, dport=port) / data)
    return fragment(pkt, fragsize=496)


def frag4to6(mode):
    """IPv4 fragments become IPv6 fragments (fields) and reassemble."""
    c, s = client(), server()
    port, ident = new_port(), random.randint(1, 0xffff)
    data = payload(1200, seed=port)
    frags = v4_fragments(port, data, ident)
    want = sorted(frag_fields4(IP(bytes(f))) for f in frags)
    sock = receiver(s, socket.AF_INET6, port)
    ls = s.listen()
    c.send(*frags)
    if mode == "reassembled":
        reassembled(sock, data, V6_CLIENT)
        return
    got = ls.collect(frag_of(ident), len(frags), TIMEOUT)
    for p in got:
        print("  ", frag_fields6(p))
    expect_eq("IPv6 fragments (id, offset, M, next header, data bytes)",
              want, sorted(frag_fields6(p) for p in got))


def split():
    """A DF=0 IPv4 packet over 1280 bytes as IPv6 arrives in fragments."""
    c, s = client(), server()
    port, ident = new_port(), random.randint(1, 0xffff)
    data = payload(1400, seed=port)
    sock = receiver(s, socket.AF_INET6, port)
    ls = s.listen()
    c.send(IP(src=V4_CLIENT, dst=V4_SERVER, id=ident, flags=0) /
           UDP(sport=40000, dport=port) / data)
    got = ls.collect(frag_of(ident), 2, TIMEOUT)
    got += ls.collect(frag_of(ident), 2, EXTRA)
    sizes = [40 + p.plen for p in got]
    print(f"  IPv6 fragments of {sizes} bytes")
    expect(len(got) >= 2, f"{len(got)} fragments")
    expect(max(sizes) <= 1280, f"fragments of {sizes} bytes, over 1280")
    got.sort(key=lambda p: p[IPv6ExtHdrFragment].offset)
    at = 0
    for p in got:
        f = p[IPv6ExtHdrFragment]
        expect_eq("Identification", ident, f.id)
        expect_eq("fragment offset", at // 8, f.offset)
        expect_eq("M flag", int(p is not got[-1]), f.m)
        at += p.plen - 8
    expect_eq("bytes in all fragments (UDP header and data)", 1408, at)
    reassembled(sock, data, V6_CLIENT)


def too_big4(size, mtu):
    """A DF=1 packet too big once translated: ICMPv4 3/4 with the MTU."""
    c, s = client(), server()
    port = new_port()
    lc, ls = c.listen(), s.listen()
    c.send(IP(src=V4_CLIENT, dst=V4_SERVER, flags="DF") /
           UDP(sport=40000, dport=port) / payload(int(size) - 28))
    e = lc.one(icmp4_about(port), "ICMPv4 error at the client")
    expect_eq("type/code", (3, 4), (e[ICMP].type, e[ICMP].code))
    expect_eq("next-hop MTU", int(mtu), e[ICMP].nexthopmtu)
    expect_eq("source (RFC 7600 dummy address)", V4_DUMMY, e.src)
    expect_eq("quoted destination", V4_SERVER, e[IPerror].dst)
    expect_checksums(e)
    ls.nothing(udp_to(port), "the packet itself")


def fits4(size):
    """A DF=1 IPv4 packet of size bytes arrives whole, 20 bytes longer."""
    c, s = client(), server()
    port = new_port()
    ls = s.listen()
    c.send(IP(src=V4_CLIENT, dst=V4_SERVER, flags="DF") /
           UDP(sport=40000, dport=port) / payload(int(size) - 28))
    p = ls.one(udp_to(port), "translated packet at the server")
    expect_eq("IPv6 packet length", int(size) + 20, 40 + p.plen)
    expect(IPv6ExtHdrFragment not in p, "it has a Fragment header")


# ---- IPv6 -> IPv4 ----------------------------------------------------------

def frag6to4(mode):
    """IPv6 fragments become IPv4 fragments (fields) and reassemble."""
    c, s = client(), server()
    port, ident = new_port(), random.randint(0x10000, 0xffffffff)
    data = payload(1200, seed=port)
    pkt = (IPv6(src=V6_SERVER, dst=V6_CLIENT) / IPv6ExtHdrFragment(id=ident)
           / UDP(sport=40000, dport=port) / data)
    frags = fragment6(pkt, 500)
    want = sorted((ident & 0xffff,) + frag_fields6(IPv6(bytes(f)))[1:]
                  for f in frags)
    sock = receiver(c, socket.AF_INET, port)
    lc = c.listen()
    s.send(*frags)
    if mode == "reassembled":
        reassembled(sock, data, V4_SERVER)
        return
    got = lc.collect(frag_of(ident & 0xffff), len(frags), TIMEOUT)
    for p in got:
        print("  ", frag_fields4(p), "DF", int(p.flags.DF))
        expect_eq("DF", 0, int(p.flags.DF))
    expect_eq("IPv4 fragments (id, offset, MF, protocol, data bytes)",
              want, sorted(frag_fields4(p) for p in got))


def too_big6(size):
    """An IPv6 packet too big for the way: Packet Too Big, whose MTU works."""
    c, s = client(), server()
    port = new_port()
    lc, ls = c.listen(), s.listen()
    s.send(IPv6(src=V6_SERVER, dst=V6_CLIENT) / UDP(sport=40000, dport=port)
           / payload(int(size) - 48))
    e = ls.one(lambda p: ICMPv6PacketTooBig in p, "Packet Too Big")
    mtu = e[ICMPv6PacketTooBig].mtu
    print(f"  Packet Too Big from {e.src}, MTU {mtu}")
    expect_checksums(e)
    lc.nothing(udp_to(port), "the packet itself", timeout=0.5)
    expect(1280 <= mtu < int(size), f"MTU {mtu}")
    s.send(IPv6(src=V6_SERVER, dst=V6_CLIENT) / UDP(sport=40000, dport=port)
           / payload(mtu - 48))
    p = lc.one(udp_to(port), f"the {mtu}-byte packet at the client")
    expect_eq("IPv4 total length", mtu - 20, p.len)


# ---- ICMP in fragments -----------------------------------------------------

def icmp_frag4():
    c, s = client(), server()
    ident = random.randint(1, 0xffff)
    pkt = (IP(src=V4_CLIENT, dst=V4_SERVER, id=ident) /
           ICMP(type=8, id=ident, seq=1) / payload(2000))
    ls = s.listen()
    c.send(*fragment(pkt, fragsize=800))
    ls.nothing(lambda p: (ICMPv6EchoRequest in p and
                          p[ICMPv6EchoRequest].id == ident) or
               frag_of(ident)(p),
               "an echo request or a fragment of it")


def icmp_frag6():
    c, s = client(), server()
    ident = random.randint(1, 0xffff)
    pkt = (IPv6(src=V6_SERVER, dst=V6_CLIENT) / IPv6ExtHdrFragment(id=ident)
           / ICMPv6EchoRequest(id=ident, seq=1) / payload(2000))
    lc = c.listen()
    s.send(*fragment6(pkt, 800))
    lc.nothing(lambda p: (ICMP in p and p[ICMP].type == 8 and
                          p[ICMP].id == ident) or frag_of(ident)(p),
               "an echo request or a fragment of it")


main({
    "frag4to6": frag4to6, "split": split, "too-big4": too_big4,
    "fits4": fits4, "frag6to4": frag6to4, "too-big6": too_big6,
    "icmp-frag4": icmp_frag4, "icmp-frag6": icmp_frag6,
})
