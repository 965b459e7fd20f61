#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""make-corpus.py: write the seed corpus of the fuzz harnesses.

Usage: make-corpus.py [DIR]   (default: the corpus folder next to this file)

Realistic packets, each behind the option bytes of xlate.c that give the
tables it needs, and configurations.  Run it again after changing the
input format of a harness, and commit the result.  Nothing here uses the
code under test: checksums and RFC 6052 addresses are computed below.
"""

import os
import shutil
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

POOLS = ["2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48",
         "2001:db8:122:300::/56", "2001:db8:122:344::/64",
         "2001:db8:64::/96", "64:ff9b::/96"]
MTUS = [1280, 1281, 1283, 1288, 1300, 1320, 1400, 1480,
        1500, 1501, 1600, 2000, 4000, 8192, 8999, 9000]
LOWEST = [1280, 1281, 1287, 1300, 1400, 1500, 1600, 9000]
POS6052 = {32: [4, 5, 6, 7], 40: [5, 6, 7, 9], 48: [6, 7, 9, 10],
           56: [7, 9, 10, 11], 64: [9, 10, 11, 12], 96: [12, 13, 14, 15]}

CLIENT4 = "203.0.113.5"         # IPv4 side, through pool6
ROUTER4 = "203.0.113.254"
SERVER4 = "198.51.100.10"       # IPv6 side, through EAM set 1
SERVER6 = "2001:db8:6::a"
ROUTER6 = "2001:db8:6::fe"


FIX_IP4, FIX_L4, FIX_INNER = 1, 2, 4


def opts(pool=5, tos=True, one_hop=True, udp0=True, eam=1, mtu=1500,
         lowest=1280, wkp=False, tail=64, p6791=False, deny=False,
         fix=FIX_IP4 | FIX_L4 | FIX_INNER):
    """The four option bytes of xlate.c fz_opts()."""
    b0 = pool | tos << 3 | one_hop << 4 | udp0 << 5 | eam << 6
    b1 = MTUS.index(mtu) | LOWEST.index(lowest) << 4 | wkp << 7
    b2 = (tail & 63) | p6791 << 6 | deny << 7
    return bytes([b0, b1, b2, fix])


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def embed(pool, v4):
    """RFC 6052 2.2: v4 inside POOLS[pool]."""
    net, plen = POOLS[pool].split("/")
    out = bytearray(a6(net))
    for i, b in zip(POS6052[int(plen)], a4(v4)):
        out[i] = b
    return bytes(out)


def csum(data, acc=0):
    if len(data) % 2:
        data += b"\0"
    for i in range(0, len(data), 2):
        acc += data[i] << 8 | data[i + 1]
    while acc > 0xffff:
        acc = (acc & 0xffff) + (acc >> 16)
    return acc


def fix(data, off, acc=0):
    """Store the checksum of data (with pseudo-header sum acc) at off."""
    data = bytearray(data)
    data[off:off + 2] = b"\0\0"
    c = ~csum(bytes(data), acc) & 0xffff
    data[off:off + 2] = struct.pack("!H", c)
    return bytes(data)


def ph4(src, dst, proto, n):
    return csum(src + dst + struct.pack("!BBH", 0, proto, n))


def ph6(src, dst, nh, n):
    return csum(src + dst + struct.pack("!IxxxB", n, nh))


# ---- transport headers; the checksum is filled in by l4() -------------

def tcp(sport=40000, dport=80, flags=0x02, payload=b"", opts_=b""):
    off = (20 + len(opts_)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, 0x11223344, 0,
                       off << 4, flags, 65535, 0, 0) + opts_ + payload


def udp(sport=5353, dport=53, payload=b"\x12\x34\x01\x00\x00\x01"):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def icmp(type_, code=0, word=b"\x12\x34\x00\x01", payload=b"ping" * 14):
    return struct.pack("!BBH", type_, code, 0) + word + payload


CSUM_OFF = {6: 16, 17: 6, 1: 2, 58: 2}


def l4_4(src, dst, proto, seg, nocsum=False):
    if proto not in CSUM_OFF or nocsum:
        return seg
    acc = 0 if proto == 1 else ph4(a4(src), a4(dst), proto, len(seg))
    return fix(seg, CSUM_OFF[proto], acc)


def l4_6(src, dst, nh, seg, nocsum=False):
    if nh not in CSUM_OFF or nocsum:
        return seg
    return fix(seg, CSUM_OFF[nh], ph6(src, dst, nh, len(seg)))


def ip4(src, dst, proto, payload, ttl=64, tos=0, ident=0x1234, frag=0,
        options=b"", tot=None):
    hl = 20 + len(options)
    tot = hl + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, tos, tot, ident, frag,
                    ttl, proto, 0, a4(src), a4(dst)) + options
    return fix(h, 10) + payload


def ip6(src, dst, nh, payload, hlim=64, tclass=0, ext=b"", ext_nh=None,
        plen=None):
    plen = len(ext) + len(payload) if plen is None else plen
    first = 6 << 28 | tclass << 20 | 0x12345
    return struct.pack("!IHBB", first, plen,
                       ext_nh if ext else nh, hlim) + src + dst + ext + payload


def pkt4(src, dst, proto, seg, nocsum=False, **kw):
    return ip4(src, dst, proto, l4_4(src, dst, proto, seg, nocsum), **kw)


def pkt6(src, dst, nh, seg, **kw):
    return ip6(src, dst, nh, l4_6(src, dst, nh, seg), **kw)


def frag6(nh, off=0, more=False, ident=0xabcd):
    return struct.pack("!BBHI", nh, 0, off << 3 | more, ident)


def ext(nh, body):
    """An options-style extension header (hop-by-hop, destination)."""
    n = 2 + len(body)
    pad = (-n) % 8
    if pad == 1:
        body += b"\0"
    elif pad:
        body += bytes([1, pad - 2]) + b"\0" * (pad - 2)
    return bytes([nh, (2 + len(body)) // 8 - 1]) + body


def routing(nh, segleft, addrs=1):
    return bytes([nh, 2 * addrs, 0, segleft]) + b"\0" * 4 + \
        a6(ROUTER6) * addrs


# ---- seeds per harness -------------------------------------------------

def seeds_4to6():
    s = {}
    c6 = embed(5, CLIENT4)

    def put(name, o, p):
        s[name] = o + p

    big = bytes(range(256)) * 6
    put("echo", opts(), pkt4(CLIENT4, SERVER4, 1, icmp(8)))
    put("echo-reply", opts(), pkt4(CLIENT4, SERVER4, 1, icmp(0)))
    put("tcp-syn", opts(), pkt4(CLIENT4, SERVER4, 6,
        tcp(opts_=b"\x02\x04\x05\xb4\x01\x03\x03\x07")))
    put("tcp-data", opts(tos=False), pkt4(CLIENT4, SERVER4, 6,
        tcp(flags=0x18, payload=b"GET / HTTP/1.0\r\n\r\n"), tos=0x28))
    put("udp", opts(), pkt4(CLIENT4, SERVER4, 17, udp()))
    put("udp-zero-compute", opts(), pkt4(CLIENT4, SERVER4, 17, udp(),
        nocsum=True))
    put("udp-zero-drop", opts(udp0=False), pkt4(CLIENT4, SERVER4, 17,
        udp(), nocsum=True))
    u = l4_4(CLIENT4, SERVER4, 17, udp(payload=big[:1000]))
    put("frag-first", opts(), ip4(CLIENT4, SERVER4, 17, u[:512],
        frag=0x2000, tot=532))
    put("frag-middle", opts(), ip4(CLIENT4, SERVER4, 17, u[512:768],
        frag=0x2000 | 64))
    put("frag-last", opts(), ip4(CLIENT4, SERVER4, 17, u[768:],
        frag=96))
    put("frag-end-of-range", opts(lowest=1280), ip4(CLIENT4, SERVER4, 17,
        big[:1400], frag=8000))
    put("udp-big-split", opts(lowest=1280),
        pkt4(CLIENT4, SERVER4, 17, udp(payload=big[:1400])))
    put("udp-big-split-1300", opts(lowest=1300, mtu=1500),
        pkt4(CLIENT4, SERVER4, 17, udp(payload=big[:1430])))
    put("tcp-df-too-big", opts(mtu=1280), pkt4(CLIENT4, SERVER4, 6,
        tcp(flags=0x10, payload=big[:1400]), frag=0x4000))
    put("tcp-df-fits", opts(mtu=1500), pkt4(CLIENT4, SERVER4, 6,
        tcp(flags=0x10, payload=big[:1400]), frag=0x4000))
    put("options-nop-rr", opts(), pkt4(CLIENT4, SERVER4, 6, tcp(),
        options=b"\x01\x07\x07\x04" + b"\0" * 4 + b"\x00\x00\x00\x00"))
    put("options-lsrr", opts(), pkt4(CLIENT4, SERVER4, 17, udp(),
        options=b"\x83\x07\x04" + a4(ROUTER4) + b"\x00"))
    put("options-lsrr-done", opts(), pkt4(CLIENT4, SERVER4, 17, udp(),
        options=b"\x83\x07\x08" + a4(ROUTER4) + b"\x00"))
    put("ttl-1", opts(), pkt4(CLIENT4, SERVER4, 1, icmp(8), ttl=1))
    put("ttl-0", opts(), pkt4(CLIENT4, SERVER4, 1, icmp(8), ttl=0))
    put("padding", opts(), pkt4(CLIENT4, SERVER4, 17, udp()) + b"\0" * 6)
    put("gre", opts(), pkt4(CLIENT4, SERVER4, 47, b"\0\0\x08\0" + big[:40]))
    put("dccp", opts(), pkt4(CLIENT4, SERVER4, 33, big[:24]))
    put("udplite", opts(), pkt4(CLIENT4, SERVER4, 136, big[:16]))
    bad = bytearray(pkt4(CLIENT4, SERVER4, 1, icmp(8)))
    bad[10] ^= 0xff
    put("bad-header-checksum", opts(fix=0), bytes(bad))
    bad = bytearray(pkt4(CLIENT4, SERVER4, 6, tcp()))
    bad[-1] ^= 0xff
    put("bad-tcp-checksum", opts(fix=0), bytes(bad))
    put("eam-only", opts(pool=7, eam=1), pkt4("192.0.2.1", SERVER4, 1,
        icmp(8)))
    put("eam-nested", opts(eam=2), pkt4(CLIENT4, "198.51.100.200", 6,
        tcp()))
    put("eam-nested-25", opts(eam=2), pkt4(CLIENT4, "198.51.100.130", 17,
        udp()))
    put("eam-in-pool6", opts(eam=2), pkt4("203.0.113.70", SERVER4, 17,
        udp()))
    put("eam-all-v4", opts(eam=3), pkt4(CLIENT4, "192.0.2.77", 1, icmp(8)))
    put("wkp-nonglobal", opts(pool=6, wkp=False), pkt4("10.1.2.3",
        SERVER4, 1, icmp(8)))
    put("wkp-nonglobal-allowed", opts(pool=6, wkp=True),
        pkt4("10.1.2.3", SERVER4, 1, icmp(8)))
    put("denylist", opts(deny=True), pkt4(CLIENT4, SERVER4, 1, icmp(8)))
    for i, plen in enumerate([32, 40, 48, 56, 64]):
        put("pool6-%d" % plen, opts(pool=i, eam=0),
            pkt4(CLIENT4, "192.0.2.33", 17, udp()))
    # ICMPv4 errors about packets the IPv6 side sent.
    inner_udp = pkt4(SERVER4, CLIENT4, 17, udp(53, 5353))
    inner_tcp = pkt4(SERVER4, CLIENT4, 6, tcp(80, 40000, 0x12),
                     frag=0x4000)
    inner_echo = pkt4(SERVER4, CLIENT4, 1, icmp(8))
    err = [
        ("err-port-unreach-udp", 3, 3, b"\0" * 4, inner_udp, CLIENT4),
        ("err-host-unreach-tcp", 3, 1, b"\0" * 4, inner_tcp, ROUTER4),
        ("err-frag-needed", 3, 4, b"\0\0\x05\x78", inner_tcp, ROUTER4),
        ("err-frag-needed-0", 3, 4, b"\0" * 4, inner_tcp, ROUTER4),
        ("err-proto-unreach", 3, 2, b"\0" * 4, inner_udp, CLIENT4),
        ("err-time-exceeded", 11, 0, b"\0" * 4, inner_echo, ROUTER4),
        ("err-param-problem", 12, 0, b"\x08\0\0\0", inner_echo, ROUTER4),
        ("err-truncated-quote", 3, 3, b"\0" * 4, inner_udp[:28], CLIENT4),
        ("err-rfc4884", 11, 0, b"\0\x20\0\0", inner_udp.ljust(128, b"\0") +
            b"\x20\0\0\0\0\x08\x01\x01\0\0\0\0", ROUTER4),
    ]
    for name, t, c, word, inner, src in err:
        put(name, opts(), pkt4(src, SERVER4, 1, icmp(t, c, word, inner)))
    put("err-rfc6791", opts(pool=7, eam=1, p6791=True),
        pkt4(ROUTER4, SERVER4, 1, icmp(11, 0, b"\0" * 4,
             pkt4(SERVER4, "192.0.2.1", 17, udp()))))
    put("err-wkp", opts(pool=6), pkt4(ROUTER4, SERVER4, 1, icmp(3, 3,
        b"\0" * 4, inner_udp)))
    put("err-wkp-allowed", opts(pool=6, wkp=True), pkt4(ROUTER4, SERVER4,
        1, icmp(3, 3, b"\0" * 4, inner_udp)))
    assert c6
    return s


def seeds_6to4():
    s = {}

    def put(name, o, p):
        s[name] = o + p

    srv = a6(SERVER6)
    cli = embed(5, CLIENT4)
    big = bytes(range(256)) * 6
    put("echo", opts(), pkt6(srv, cli, 58, icmp(128)))
    put("echo-reply", opts(), pkt6(srv, cli, 58, icmp(129)))
    put("tcp-synack", opts(), pkt6(srv, cli, 6, tcp(80, 40000, 0x12)))
    put("tcp-data", opts(tos=False), pkt6(srv, cli, 6,
        tcp(80, 40000, 0x18, b"HTTP/1.0 200 OK\r\n"), tclass=0x28))
    put("udp", opts(), pkt6(srv, cli, 17, udp(53, 5353)))
    put("udp-zero", opts(), ip6(srv, cli, 17, udp(53, 5353)))
    put("udp-big", opts(), pkt6(srv, cli, 17, udp(53, 5353, big[:1300])))
    put("too-big", opts(mtu=1280), pkt6(srv, cli, 6,
        tcp(80, 40000, 0x10, big[:1260])))
    put("df-threshold", opts(mtu=1500), pkt6(srv, cli, 17,
        udp(53, 5353, big[:1250])))
    e = ext(17, b"")
    put("hopopts", opts(), ip6(srv, cli, 17, l4_6(srv, cli, 17, udp()),
        ext=e, ext_nh=0))
    e = ext(60, b"\x05\x02\0\0") + ext(17, b"")
    put("hop-dst", opts(), ip6(srv, cli, 17, l4_6(srv, cli, 17, udp()),
        ext=e, ext_nh=0))
    e = routing(6, 0)
    put("routing-done", opts(), ip6(srv, cli, 6, l4_6(srv, cli, 6, tcp()),
        ext=e, ext_nh=43))
    e = routing(6, 1)
    put("routing-segleft", opts(), ip6(srv, cli, 6, l4_6(srv, cli, 6,
        tcp()), ext=e, ext_nh=43))
    u = l4_6(srv, cli, 17, udp(53, 5353, big[:1000]))
    put("frag-first", opts(), ip6(srv, cli, 17, u[:512],
        ext=frag6(17, 0, True), ext_nh=44))
    put("frag-middle", opts(), ip6(srv, cli, 17, u[512:768],
        ext=frag6(17, 64, True), ext_nh=44))
    put("frag-last", opts(), ip6(srv, cli, 17, u[768:],
        ext=frag6(17, 96, False), ext_nh=44))
    put("frag-atomic", opts(), ip6(srv, cli, 6, l4_6(srv, cli, 6, tcp()),
        ext=frag6(6), ext_nh=44))
    put("frag-icmp", opts(), ip6(srv, cli, 58, l4_6(srv, cli, 58,
        icmp(128)), ext=frag6(58, 0, True), ext_nh=44))
    put("hlim-1", opts(), pkt6(srv, cli, 58, icmp(128), hlim=1))
    put("hlim-0", opts(), pkt6(srv, cli, 58, icmp(128), hlim=0))
    put("padding", opts(), pkt6(srv, cli, 17, udp()) + b"\0" * 8)
    put("no-next-header", opts(), ip6(srv, cli, 59, b""))
    put("hairpin", opts(), pkt6(srv, embed(5, "198.51.100.20"), 6, tcp()))
    put("hairpin-echo", opts(eam=2), pkt6(srv, embed(5, "198.51.100.200"),
        58, icmp(128)))
    put("eam-nested", opts(eam=2), pkt6(a6("2001:db8:6::1"), cli, 17,
        udp()))
    put("eam-only", opts(pool=7, eam=1), pkt6(srv, a6("2001:db8:ea::1"),
        58, icmp(128)))
    put("eam-all-v4", opts(eam=3), pkt6(a6("2001:db8:ff00::c000:221"),
        cli, 17, udp()))
    for i, plen in enumerate([32, 40, 48, 56, 64]):
        put("pool6-%d" % plen, opts(pool=i, eam=1),
            pkt6(srv, embed(i, CLIENT4), 17, udp()))
    put("wkp", opts(pool=6, wkp=True), pkt6(srv, embed(6, CLIENT4), 58,
        icmp(128)))
    put("wkp-nonglobal", opts(pool=6), pkt6(srv, embed(6, "10.0.0.1"),
        58, icmp(128)))
    put("denylist", opts(deny=True), pkt6(srv, cli, 58, icmp(128)))
    # ICMPv6 errors about packets the IPv4 side sent.
    inner_udp = pkt6(cli, srv, 17, udp())
    inner_tcp = pkt6(cli, srv, 6, tcp())
    inner_echo = pkt6(cli, srv, 58, icmp(128))
    inner_frag = ip6(cli, srv, 17, l4_6(cli, srv, 17, udp())[:8],
                     ext=frag6(17, 0, True), ext_nh=44)
    rtr = a6(ROUTER6)
    err = [
        ("err-port-unreach", 1, 4, b"\0" * 4, inner_udp, srv),
        ("err-addr-unreach", 1, 3, b"\0" * 4, inner_tcp, rtr),
        ("err-admin", 1, 1, b"\0" * 4, inner_tcp, rtr),
        ("err-too-big", 2, 0, b"\0\0\x05\x00", inner_tcp, rtr),
        ("err-too-big-small", 2, 0, b"\0\0\0\x44", inner_tcp, rtr),
        ("err-time-exceeded", 3, 0, b"\0" * 4, inner_echo, rtr),
        ("err-param-header", 4, 0, b"\0\0\0\x06", inner_udp, srv),
        ("err-param-nh", 4, 1, b"\0\0\0\x06", inner_udp, srv),
        ("err-fragment-quote", 1, 4, b"\0" * 4, inner_frag, srv),
        ("err-truncated-quote", 1, 4, b"\0" * 4, inner_udp[:48], srv),
        ("err-rfc4884", 3, 0, b"\x10\0\0\0", inner_udp.ljust(128, b"\0") +
            b"\x20\0\0\0\0\x08\x01\x01\0\0\0\0", rtr),
    ]
    for name, t, c, word, inner, src in err:
        put(name, opts(), pkt6(src, cli, 58, icmp(t, c, word, inner)))
    bad = bytearray(pkt6(rtr, cli, 58, icmp(3, 0, b"\0" * 4, inner_echo)))
    bad[-1] ^= 0xff
    put("err-bad-checksum", opts(fix=0), bytes(bad))
    bad = bytearray(pkt6(srv, cli, 17, udp()))
    bad[-1] ^= 0xff
    put("bad-udp-checksum", opts(fix=0), bytes(bad))
    put("err-unmapped-router", opts(), pkt6(a6("2001:db8:dead::1"), cli,
        58, icmp(3, 0, b"\0" * 4, inner_udp)))
    put("err-unmapped-router-pool4", opts(deny=True),
        pkt6(a6("2001:db8:dead::1"), embed(5, "192.0.2.77"), 58,
             icmp(3, 0, b"\0" * 4, pkt6(embed(5, "192.0.2.77"), srv, 17,
                                        udp()))))
    return s


def seeds_icmp_errors():
    """Options, 6 header bytes (xlate.c, fuzz_icmp_errors.c), inner."""
    s = {}
    t4 = [(3, 0), (3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6), (3, 7),
          (3, 8), (3, 9), (3, 10), (3, 11), (3, 12), (3, 13), (3, 14),
          (3, 15), (11, 0), (11, 1), (12, 0), (12, 1), (12, 2), (4, 0),
          (5, 1)]
    t6 = [(1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 0),
          (3, 0), (3, 1), (4, 0), (4, 1), (4, 2), (4, 3)]

    def hdr(v6, tc, word=b"\0" * 4, src=0, dst=0):
        idx = (t6 if v6 else t4).index(tc)
        return bytes([v6 | src << 1 | dst << 3, idx]) + word

    srv, cli = a6(SERVER6), embed(5, CLIENT4)
    big = bytes(range(256)) * 6
    in4 = {
        "udp": pkt4(SERVER4, CLIENT4, 17, udp(53, 5353)),
        "tcp": pkt4(SERVER4, CLIENT4, 6, tcp(80, 40000, 0x12),
                    frag=0x4000),
        "echo": pkt4(SERVER4, CLIENT4, 1, icmp(8)),
        "echo-reply": pkt4(SERVER4, CLIENT4, 1, icmp(0)),
        "frag": ip4(SERVER4, CLIENT4, 17, big[:64], frag=0x2000 | 10),
        "options": pkt4(SERVER4, CLIENT4, 17, udp(),
                        options=b"\x01\x01\x01\x00"),
        "cut": pkt4(SERVER4, CLIENT4, 6, tcp(80, 40000, 0x10,
                    big[:1200]))[:548],
        "udp-zero": pkt4(SERVER4, CLIENT4, 17, udp(), nocsum=True),
        "gre": pkt4(SERVER4, CLIENT4, 47, big[:32]),
    }
    for name, p in in4.items():
        s["v4-unreach-" + name] = opts() + hdr(0, (3, 3)) + p
    s["v4-frag-needed"] = opts() + hdr(0, (3, 4), b"\0\0\x05\x78") + \
        in4["tcp"]
    s["v4-frag-needed-0"] = opts() + hdr(0, (3, 4)) + in4["tcp"]
    s["v4-time-exceeded"] = opts() + hdr(0, (11, 0)) + in4["echo"]
    s["v4-param"] = opts() + hdr(0, (12, 0), b"\x09\0\0\0") + in4["udp"]
    s["v4-rfc4884"] = opts() + hdr(0, (11, 0), b"\0\x20\0\0") + \
        in4["udp"].ljust(128, b"\0") + b"\x20\0\0\0\0\x08\x01\x01\0\0\0\0"
    s["v4-eam-only-rfc6791"] = opts(pool=7, p6791=True) + \
        hdr(0, (3, 1), src=3) + pkt4(SERVER4, "192.0.2.1", 6, tcp())
    in6 = {
        "udp": pkt6(cli, srv, 17, udp()),
        "tcp": pkt6(cli, srv, 6, tcp()),
        "echo": pkt6(cli, srv, 58, icmp(128)),
        "frag": ip6(cli, srv, 17, big[:64], ext=frag6(17, 8, True),
                    ext_nh=44),
        "frag-first": ip6(cli, srv, 17, l4_6(cli, srv, 17, udp()),
                          ext=frag6(17, 0, True), ext_nh=44),
        "hopopts": ip6(cli, srv, 6, l4_6(cli, srv, 6, tcp()),
                       ext=ext(6, b""), ext_nh=0),
        "routing": ip6(cli, srv, 17, l4_6(cli, srv, 17, udp()),
                       ext=routing(17, 1), ext_nh=43),
        "cut": pkt6(cli, srv, 6, tcp(payload=big[:1300]))[:1232],
        "big-df": pkt6(cli, srv, 17, udp(payload=big[:1300])),
    }
    for name, p in in6.items():
        s["v6-unreach-" + name] = opts() + hdr(1, (1, 4)) + p
    s["v6-too-big"] = opts() + hdr(1, (2, 0), b"\0\0\x05\x00") + in6["tcp"]
    s["v6-time-exceeded"] = opts() + hdr(1, (3, 0)) + in6["echo"]
    s["v6-param"] = opts() + hdr(1, (4, 0), b"\0\0\0\x18") + in6["udp"]
    s["v6-param-nh"] = opts() + hdr(1, (4, 1), b"\0\0\0\x06") + in6["udp"]
    s["v6-rfc6791"] = opts() + hdr(1, (1, 3), src=2) + in6["udp"]
    s["v6-rfc6791-pool4"] = opts(deny=True) + hdr(1, (1, 3), src=2) + \
        pkt6(embed(5, "192.0.2.77"), srv, 17, udp())
    s["v6-rfc4884"] = opts() + hdr(1, (3, 0), b"\x10\0\0\0") + \
        in6["udp"].ljust(128, b"\0") + b"\x20\0\0\0\0\x08\x01\x01\0\0\0\0"
    for i, plen in enumerate([32, 40, 48, 56, 64]):
        c = embed(i, CLIENT4)
        s["v6-pool6-%d" % plen] = opts(pool=i) + hdr(1, (1, 4)) + \
            pkt6(c, srv, 17, udp())
    return s


def seeds_frag6():
    s = {}
    srv, cli = a6(SERVER6), embed(5, CLIENT4)
    big = bytes(range(256)) * 12

    def f(mtu, fh, data):
        return struct.pack("!H", mtu) + fh + data

    s["udp-1280"] = f(1280, frag6(17, 0, False), big[:1500])
    s["udp-1500-more"] = f(1500, frag6(17, 0, True), big[:2900])
    s["offset"] = f(1280, frag6(6, 185, True), big[:1400])
    s["last"] = f(1300, frag6(6, 370, False), big[:1333])
    s["small-mtu"] = f(56, frag6(17, 0, False), big[:100])
    s["tiny-mtu"] = f(55, frag6(17, 0, False), big[:100])
    s["mtu-0"] = f(0, frag6(17, 0, False), big[:100])
    s["odd-mtu"] = f(1287, frag6(58, 0, False), big[:3000])
    s["end-of-range"] = f(1280, frag6(17, 8000, True), big[:1500])
    s["empty"] = f(1280, frag6(17, 0, False), b"")
    s["one-byte"] = f(1280, frag6(17, 0, False), b"x")
    s["jumbo-mtu"] = f(65535, frag6(17, 0, False), big[:3000])
    assert srv and cli
    return s


def seeds_config():
    s = {}
    conf = os.path.join(HERE, "..", "conf")
    for name in sorted(os.listdir(conf)):
        if name.endswith(".conf"):
            with open(os.path.join(conf, name), "rb") as f:
                s[name[:-5]] = f.read()
    s["include"] = b'@include "x.conf"\nsiit = { pool6 = "64:ff9b::/96"; };\n'
    s["eam-file"] = b'siit = { pool6 = "64:ff9b::/96"; eam-file = "e"; };\n'
    s["metrics"] = (b'metrics = { listen = "[::1]:9100"; };\n'
                    b'control = { socket = "/run/t.sock"; group = "adm"; };\n'
                    b'siit = { pool6 = "2001:db8:64::/96"; };\n')
    s["escapes"] = (b'tun = { name = "t\\x41n"; };\n'
                    b'siit = { pool6 = "2001:db8:" "64::/96"; };\n')
    s["rfc6791-too-large"] = (b'siit = { pool6 = "2001:db8:64::/96";\n'
                              b'rfc6791-pool4 = "10.0.0.0/8"; };\n')
    s["rfc6791-loopback"] = (b'siit = { pool6 = "2001:db8:64::/96";\n'
                             b'rfc6791-pool4 = "127.0.0.0/16"; };\n')
    br = b'\tbr-address = "2001:db8:ffff::1";\n'
    s["softwire-min"] = b"softwire = {\n" + br + b"};\n"
    s["softwire-bindings"] = (
        b'tun = { name = "lw0"; };\nsoftwire = {\n' + br +
        b'\tbindings = (\n'
        b'\t\t{ b4 = "2001:db8:b4::1"; ipv4 = "192.0.2.1"; psid = 1; '
        b'psid-length = 6; },\n'
        b'\t\t{ b4 = "2001:db8:b4::2"; ipv4 = "192.0.2.1"; psid = 2; '
        b'psid-length = 6; psid-offset = 6; },\n'
        b'\t\t{ b4 = "2001:db8:b4::3"; ipv4 = "192.0.2.2"; psid = 0; '
        b'psid-length = 16; psid-offset = 0; br = "2001:db8:fffe::1"; },\n'
        b'\t\t{ b4 = "2001:db8:b4::4"; ipv4 = "192.0.2.3"; psid = 1; '
        b'psid-length = 1; psid-offset = 15; },\n'
        b'\t\t{ b4 = "2001:db8:b4::5"; ipv4 = "192.0.2.4"; }\n'
        b'\t);\n'
        b'\troutes = ( { prefix = "203.0.113.0/24"; '
        b'remote = "2001:db8:b::1"; } );\n};\n')
    s["softwire-conflicts"] = (
        b"softwire = {\n" + br + b'\tbindings = (\n'
        b'\t\t{ b4 = "2001:db8:b4::1"; ipv4 = "192.0.2.1"; },\n'
        b'\t\t{ b4 = "2001:db8:b4::1"; ipv4 = "192.0.2.2"; },\n'
        b'\t\t{ b4 = "2001:db8:b4::2"; ipv4 = "192.0.2.1"; psid = 3; '
        b'psid-length = 4; }\n\t);\n'
        b'\troutes = ( { prefix = "203.0.113.0/24"; remote = "::1"; },\n'
        b'\t\t{ prefix = "203.0.113.0/24"; remote = "2001:db8::1"; } );\n'
        b'};\n')
    s["softwire-options"] = (
        b"softwire = {\n" + br +
        b'\tipv4-address = "192.0.2.254"; hairpinning = false;\n'
        b'\tipv6-mtu = 1280; hop-limit = 255; copy-tos = false;\n'
        b'\ticmp-unreachable = "none"; icmp-policy = true;\n'
        b'\tshared-echo = "reply"; icmp-rate = 0; icmp-burst = 1000000;\n'
        b'\treassembly-packets = 0; reassembly-fragments = 1000;\n'
        b'\treassembly-timeout = 60000; };\n')
    s["softwire-bad-options"] = (
        b"softwire = {\n" + br +
        b'\tipv4-address = "192.0.2.0/24"; hairpinning = 1;\n'
        b'\tipv6-mtu = 1279; hop-limit = 0; icmp-unreachable = "x";\n'
        b'\tshared-echo = 1; icmp-burst = 0; reassembly-fragments = 1;\n'
        b'\treassembly-timeout = 99; bindings-file = 1; colour = 1; };\n')
    s["softwire-and-siit"] = (b"softwire = {\n" + br + b"};\n"
                              b'siit = { pool6 = "64:ff9b::/96"; };\n')
    s["instances-two-softwires"] = (
        b"instances = (\n"
        b'\t{ tun = { name = "lw0"; }; softwire = {\n' + br +
        b'\t\tbindings = ( { b4 = "2001:db8:b4::1"; '
        b'ipv4 = "192.0.2.1"; } ); }; },\n'
        b'\t{ tun = { name = "lw1"; }; softwire = {\n' + br +
        b'\t\tbindings = ( { b4 = "2001:db8:b4::1"; '
        b'ipv4 = "192.0.2.1"; } ); }; },\n'
        b'\t{ tun = { name = "siit0"; }; siit = { '
        b'pool6 = "64:ff9b::/96"; }; }\n);\n')
    s["instances-same-tun"] = (
        b"instances = (\n"
        b'\t{ softwire = {\n' + br + b'\t}; },\n'
        b'\t{ softwire = {\n' + br + b'\t}; },\n'
        b'\t{ }, 1\n);\n')
    s["other-shapes"] = (b'tun = { mtu = 5000000000L; };\n'
                         b'siit = { pool6 = "2001:db8:64::/96";\n'
                         b'denylist4 = ( "192.0.2.0/24" );\n'
                         b'eam = [ 1 ]; icmp-rate = 0x10; };\n')
    return s


def seeds_config_eam():
    s = {}
    sep = b"\xff"
    s["one"] = b"198.51.100.0/24 2001:db8:6::/120\n"
    s["hosts"] = b"192.0.2.1 2001:db8:ea::1\n192.0.2.2 2001:db8:ea::2\n"
    s["comments"] = (b"# servers\n\n  192.0.2.1\t2001:db8:ea::1  # web\n"
                     b"\t\n192.0.2.0/30 2001:db8:ea::/126\n")
    s["crlf"] = b"192.0.2.1 2001:db8:ea::1\r\n192.0.2.9 2001:db8:ea::9\r\n"
    s["nested"] = (b"198.51.100.0/24 2001:db8:6::/120\n"
                   b"198.51.100.128/25 2001:db8:7::/121\n"
                   b"198.51.100.200 2001:db8:6::1\n")
    s["all-v4"] = b"0.0.0.0/0 2001:db8:ff00::/96\n"
    s["bad-lines"] = (b"192.0.2.1\n192.0.2.1 2001:db8::1 extra\n"
                      b"300.1.1.1 2001:db8::1\n192.0.2.0/24 2001:db8::/64\n"
                      b"192.0.2.1/33 2001:db8::1/129\n")
    s["many-bad"] = b"x\n" * 102
    s["duplicate"] = b"192.0.2.1 2001:db8:ea::1\n192.0.2.1 2001:db8:ea::2\n"
    s["no-newline"] = b"192.0.2.1 2001:db8:ea::1"
    s["nul"] = b"192.0.2.1 2001:db8:ea::1\n192.0.2.2\0 2001:db8:ea::2\n"
    s["inline-conflict"] = (b"192.0.2.1 2001:db8:ea::1\n" + sep +
                            b'{ ipv4 = "192.0.2.1"; ipv6 = "2001:db8:ea::7"; }')
    s["inline-conflict6"] = (b"192.0.2.1 2001:db8:ea::1\n" + sep +
                             b'{ ipv4 = "192.0.2.8"; ipv6 = "2001:db8:ea::1"; }')
    s["inline-ok"] = (b"192.0.2.1 2001:db8:ea::1\n" + sep +
                      b'{ ipv4 = "198.51.100.0/24"; ipv6 = "2001:db8:6::/120"; },'
                      b'{ ipv4 = "192.0.2.2"; ipv6 = "2001:db8:ea::2"; }')
    s["inline-bad"] = (b"192.0.2.1 2001:db8:ea::1\n" + sep +
                       b'{ ipv4 = 1; }, "x", { ipv6 = "::" }')
    s["empty"] = b""
    return s


def seeds_bindings():
    """Bindings files, some with inline bindings after a 0xff byte."""
    s = {}
    sep = b"\xff"
    conf = os.path.join(HERE, "..", "conf")
    for name in sorted(os.listdir(conf)):
        if name.endswith(".bindings"):
            with open(os.path.join(conf, name), "rb") as f:
                s[name[:-9]] = f.read()
    s["manual"] = (b"# lwB4               IPv4           PSID/K  [offset A] "
                   b"[br IPv6]\n"
                   b"2001:db8:b4::1       198.51.100.1   1/6\n"
                   b"2001:db8:b4::2       198.51.100.1   2/6\n"
                   b"2001:db8:b4::3       198.51.100.2   0/4     offset 4\n"
                   b"2001:db8:b4::4       198.51.100.3                      "
                   b"br 2001:db8:fffe::1\n")
    s["one-whole"] = b"2001:db8:b4::1 192.0.2.1\n"
    s["one-shared"] = b"2001:db8:b4::1 192.0.2.1 5/6\n"
    s["k16"] = (b"2001:db8:b4::1 192.0.2.1 65535/16 offset 0\n"
                b"2001:db8:b4::2 192.0.2.1 0/16 offset 0\n")
    s["a0"] = (b"2001:db8:b4::1 192.0.2.1 0/1 offset 0\n"
               b"2001:db8:b4::2 192.0.2.1 1/1 offset 0\n")
    s["a15"] = b"2001:db8:b4::1 192.0.2.1 1/1 offset 15\n"
    s["a10-k6"] = b"2001:db8:b4::1 192.0.2.1 63/6 offset 10\n"
    s["a12-k2"] = (b"2001:db8:b4::1 192.0.2.1 0/2 offset 12\n"
                   b"2001:db8:b4::2 192.0.2.1 3/2 offset 12\n")
    s["psid-0-0"] = b"2001:db8:b4::1 192.0.2.1 0/0\n"
    s["unsorted"] = (b"2001:db8:b4::3 192.0.2.9 3/6\n"
                     b"2001:db8:b4::1 192.0.2.1 1/6\n"
                     b"2001:db8:b4::2 192.0.2.1 0/6\n"
                     b"2001:db8:b4::4 10.0.0.1\n")
    s["brs"] = (b"2001:db8:b4::1 192.0.2.1 1/6 br 2001:db8:fffe::1\n"
                b"2001:db8:b4::2 192.0.2.1 2/6 br 2001:db8:fffe::2 "
                b"offset 6\n"
                b"2001:db8:b4::3 192.0.2.2 br 2001:db8:ffff::1\n")
    s["comments"] = (b"# bindings\n\n   \t\n2001:db8:b4::1\t192.0.2.1# x\n"
                     b"  2001:db8:b4::2  192.0.2.2  # y\n#\n")
    s["crlf"] = (b"2001:db8:b4::1 192.0.2.1 1/6\r\n"
                 b"2001:db8:b4::2 192.0.2.1 2/6\r\n")
    s["no-newline"] = b"2001:db8:b4::1 192.0.2.1 1/6"
    s["nul"] = b"2001:db8:b4::1 192.0.2.1 1/6\n2001:db8:b4::2\0 192.0.2.2\n"
    s["bad-fields"] = (b"2001:db8:b4::1\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 offset 6 br "
                       b"2001:db8::1 x\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 offset 6 offset 6\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 br 2001:db8::1 br "
                       b"2001:db8::2\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 colour 6\n"
                       b"2001:db8:b4::1 192.0.2.1 offset 4\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 offset\n"
                       b"2001:db8:b4::1 192.0.2.1 1/6 offset 17\n")
    s["bad-psid"] = (b"2001:db8:b4::1 192.0.2.1 64/6\n"
                     b"2001:db8:b4::1 192.0.2.1 1/17\n"
                     b"2001:db8:b4::1 192.0.2.1 1/12\n"
                     b"2001:db8:b4::1 192.0.2.1 1/6 offset 11\n"
                     b"2001:db8:b4::1 192.0.2.1 1/\n"
                     b"2001:db8:b4::1 192.0.2.1 /6\n"
                     b"2001:db8:b4::1 192.0.2.1 1\n"
                     b"2001:db8:b4::1 192.0.2.1 000001/6\n"
                     b"2001:db8:b4::1 192.0.2.1 65536/16\n")
    s["bad-addresses"] = (b":: 192.0.2.1\n::1 192.0.2.1\nff02::1 192.0.2.1\n"
                          b"2001:db8:b4::1 0.1.2.3\n"
                          b"2001:db8:b4::1 127.0.0.1\n"
                          b"2001:db8:b4::1 224.0.0.1\n"
                          b"2001:db8:b4::1 255.255.255.255\n"
                          b"2001:db8:b4::/64 192.0.2.1\n"
                          b"2001:db8:b4::1 192.0.2.0/24\n"
                          b"2001:db8:b4::1 192.0.2.1 br ff02::2\n"
                          b"2001:db8:b4::1 192.0.2.1 br 192.0.2.2\n")
    s["conflicts"] = (b"2001:db8:b4::1 192.0.2.1 1/6\n"
                      b"2001:db8:b4::2 192.0.2.1 1/6\n"
                      b"2001:db8:b4::3 192.0.2.1 1/8\n"
                      b"2001:db8:b4::4 192.0.2.1 1/6 offset 4\n"
                      b"2001:db8:b4::5 192.0.2.1\n"
                      b"2001:db8:b4::1 192.0.2.2 3/6\n"
                      b"2001:db8:b4::6 192.0.2.3\n"
                      b"2001:db8:b4::7 192.0.2.3\n")
    s["many-bad"] = b"x\n" * 102
    s["empty"] = b""
    s["inline-only"] = sep + (
        b'{ b4 = "2001:db8:b4::1"; ipv4 = "192.0.2.1"; psid = 1; '
        b'psid-length = 6; },\n'
        b'{ b4 = "2001:db8:b4::2"; ipv4 = "192.0.2.1"; psid = 2; '
        b'psid-length = 6; psid-offset = 6; br = "2001:db8:fffe::1"; }')
    s["inline-and-file"] = (b"2001:db8:b4::1 192.0.2.1 1/6\n"
                            b"2001:db8:b4::2 192.0.2.2\n" + sep +
                            b'{ b4 = "2001:db8:b4::3"; ipv4 = "192.0.2.1"; '
                            b'psid = 2; psid-length = 6; },\n'
                            b'{ b4 = "2001:db8:b4::4"; ipv4 = "192.0.2.3"; '
                            b'psid = 0; psid-length = 0; }')
    s["inline-conflict"] = (b"2001:db8:b4::1 192.0.2.1 1/6\n"
                            b"2001:db8:b4::2 192.0.2.1 2/6\n" + sep +
                            b'{ b4 = "2001:db8:b4::1"; ipv4 = "192.0.2.9"; },'
                            b'\n{ b4 = "2001:db8:b4::7"; ipv4 = "192.0.2.1"; '
                            b'psid = 2; psid-length = 6; }')
    s["inline-bad"] = (b"2001:db8:b4::1 192.0.2.1 1/6\n" + sep +
                       b'{ b4 = "2001:db8:b4::2"; ipv4 = 1; }, "x", '
                       b'{ ipv4 = "192.0.2.1"; psid = 1; psid-length = 17; }')
    return s


def sw_opts(in6=False, hairpin=True, tos=False, own4=True, unreach=1,
            policy6=True, shared_echo=False, mtu=5, tail=64, fix=True,
            hlim=64):
    """The four option bytes of fuzz_softwire.c (no address steering)."""
    b0 = (in6 | hairpin << 1 | tos << 2 | own4 << 3 | unreach << 4 |
          policy6 << 6 | shared_echo << 7)
    return bytes([b0, mtu, (tail & 63) | fix << 6, hlim])


def seeds_softwire():
    """Packets for the bindings and routes of fuzz_softwire.c."""
    s = {}
    br, br2 = a6("2001:db8:ffff::1"), a6("2001:db8:ffff::2")
    b4_10, b4_21 = a6("2001:db8:b4::10"), a6("2001:db8:b4::21")
    b4_22, peer1 = a6("2001:db8:b4::22"), a6("2001:db8:eeee::1")
    host, whole, shared = "198.51.100.77", "192.0.2.10", "192.0.2.20"
    set1, set2 = 1 << 10 | 1 << 6 | 5, 1 << 10 | 2 << 6 | 5
    o4, o6 = sw_opts(), sw_opts(in6=True)

    def tun(src, dst, inner, **kw):
        return ip6(src, dst, 4, inner, **kw)

    s["4to6-tcp-whole"] = o4 + pkt4(host, whole, 6, tcp(80, 40000))
    s["4to6-udp-shared"] = o4 + pkt4(host, shared, 17, udp(53, set2))
    s["4to6-echo-reply"] = o4 + pkt4(host, shared, 1,
                                     icmp(0, word=struct.pack("!HH", set1, 1)))
    s["4to6-echo-shared"] = sw_opts(shared_echo=True) + pkt4(
        host, shared, 1, icmp(8, word=struct.pack("!HH", set1, 1)))
    s["4to6-echo-own"] = o4 + pkt4(host, "198.51.100.1", 1, icmp(8))
    quoted = pkt4(shared, host, 17, udp(set1, 53))
    s["4to6-icmp-error"] = o4 + pkt4(host, shared, 1, icmp(3, 3, b"\0" * 4,
                                                             quoted))
    s["4to6-unbound"] = sw_opts(unreach=2) + pkt4(host, "192.0.2.99", 17,
                                                  udp())
    s["4to6-mesh"] = o4 + pkt4(host, "203.0.113.200", 17, udp())
    s["4to6-ttl1"] = o4 + pkt4(host, whole, 17, udp(), ttl=1)
    big = udp(payload=b"x" * 1600)
    s["4to6-df-big"] = o4 + pkt4(host, whole, 17, big, frag=0x4000)
    s["4to6-fragment"] = o4 + pkt4(host, whole, 17, big)
    s["6to4-udp"] = o6 + tun(b4_21, br, pkt4(shared, host, 17,
                                             udp(set1, 53)))
    s["6to4-br2"] = o6 + tun(b4_22, br2, pkt4(shared, host, 6,
                                              tcp(set2, 443)))
    s["6to4-encap-limit"] = o6 + tun(
        b4_10, br, pkt4(whole, host, 17, udp()),
        ext=ext(4, b"\x04\x01\x04"), ext_nh=60)
    s["6to4-wrong-b4"] = o6 + tun(b4_22, br, pkt4(shared, host, 17,
                                                  udp(set1, 53)))
    s["6to4-hairpin"] = o6 + tun(b4_21, br, pkt4(shared, shared, 17,
                                                 udp(set1, set2)))
    s["6to4-ttl1"] = o6 + tun(b4_21, br, pkt4(shared, host, 17,
                                              udp(set1, 53), ttl=1))
    s["6to4-mesh"] = o6 + tun(peer1, br, pkt4("203.0.113.5", host, 17,
                                              udp()))
    ours = tun(br, b4_10, pkt4(host, whole, 6, tcp(80, 40000),
                                frag=0x4000, ttl=63))
    router = a6("2001:db8:1::1")
    s["6to4-ptb"] = o6 + pkt6(router, br, 58,
                              icmp(2, 0, struct.pack("!I", 1400), ours))
    s["6to4-unreach"] = o6 + pkt6(router, br, 58, icmp(1, 1, b"\0" * 4,
                                                       ours))
    s["6to4-time-exceeded"] = o6 + pkt6(router, br, 58,
                                        icmp(3, 0, b"\0" * 4, ours))
    s["6to4-echo-br"] = o6 + pkt6(b4_21, br2, 58, icmp(128))
    return s


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    sets = {
        "fuzz_siit_4to6": seeds_4to6(),
        "fuzz_siit_6to4": seeds_6to4(),
        "fuzz_icmp_errors": seeds_icmp_errors(),
        "fuzz_frag6": seeds_frag6(),
        "fuzz_config": seeds_config(),
        "fuzz_config_eam": seeds_config_eam(),
        "fuzz_bindings": seeds_bindings(),
        "fuzz_softwire": seeds_softwire(),
    }
    for target, seeds in sets.items():
        d = os.path.join(top, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (target, len(seeds)))


if __name__ == "__main__":
    main()
