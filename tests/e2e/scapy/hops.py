# SPDX-License-Identifier: ISC
"""
hops: how many hops the translator node takes, seen from each side.
Usage: hops.py CASE [ARGS].

    expire4 TTL FROM      UDP from the client with TTL gets exactly one
                          ICMPv4 Time Exceeded, from FROM, and the server
                          nothing
    arrive4 TTL HLIM      UDP from the client with TTL reaches the server
                          with hop limit HLIM
    expire6 HLIM FROM     the same from the server's side
    arrive6 HLIM TTL
    trace HOP...          a traceroute from the client to the server, TTL 1
                          to 4, answered by HOP... (each ADDRESS:TYPE)
"""
import random

from scapy.all import ICMP, IP, UDP, ICMPv6TimeExceeded, IPv6

from tmnet import (V4_CLIENT, V4_SERVER, V6_CLIENT, V6_SERVER, WAIT, client,
                   expect, expect_eq, icmp4_about, icmp6_about, main,
                   new_port, payload, server, udp_to)

PROBE = 33434
# Once the one error expected has come, how long a second may take to
# show up.
SECOND = 2.0


def udp4(ttl, port):
    return (IP(src=V4_CLIENT, dst=V4_SERVER, ttl=ttl) /
            UDP(sport=40000, dport=port) / payload(32))


def udp6(hlim, port):
    return (IPv6(src=V6_SERVER, dst=V6_CLIENT, hlim=hlim) /
            UDP(sport=40000, dport=port) / payload(32))


def expire4(ttl, src):
    c, s = client(), server()
    port = new_port()
    lc, ls = c.listen(), s.listen()
    c.send(udp4(int(ttl), port))
    got = lc.collect(icmp4_about(port), 1, WAIT)
    got += lc.collect(icmp4_about(port), 1, SECOND)
    expect_eq("ICMPv4 errors", 1, len(got))
    expect_eq("type/code", (11, 0), (got[0][ICMP].type, got[0][ICMP].code))
    expect_eq("source", src, got[0].src)
    ls.nothing(udp_to(port), "the datagram", timeout=0.5)


def arrive4(ttl, hlim):
    c, s = client(), server()
    port = new_port()
    ls = s.listen()
    c.send(udp4(int(ttl), port))
    p = ls.one(udp_to(port), "the datagram at the server")
    expect_eq("hop limit", int(hlim), p.hlim)


def expire6(hlim, src):
    c, s = client(), server()
    port = new_port()
    lc, ls = c.listen(), s.listen()
    s.send(udp6(int(hlim), port))
    got = ls.collect(icmp6_about(port), 1, WAIT)
    got += ls.collect(icmp6_about(port), 1, SECOND)
    expect_eq("ICMPv6 errors", 1, len(got))
    expect(ICMPv6TimeExceeded in got[0], "not a Time Exceeded")
    expect_eq("code", 0, got[0][ICMPv6TimeExceeded].code)
    expect_eq("source", src, got[0].src)
    lc.nothing(udp_to(port), "the datagram", timeout=0.5)


def arrive6(hlim, ttl):
    c, s = client(), server()
    port = new_port()
    lc = c.listen()
    s.send(udp6(int(hlim), port))
    p = lc.one(udp_to(port), "the datagram at the client")
    expect_eq("TTL", int(ttl), p.ttl)


def trace(*want):
    """Probe with TTL 1, 2, ... until the server answers (at most 4)."""
    c = client()
    hops = []
    base = PROBE + random.randrange(0, 10000, 10)
    for ttl in range(1, 5):
        port = base + ttl
        lc = c.listen()
        c.send(udp4(ttl, port))
        got = lc.collect(icmp4_about(port), 1, WAIT)
        hop = f"{got[0].src}:{got[0][ICMP].type}" if got else "*"
        print(f"  {ttl} {hop}")
        hops.append(hop)
        if got and got[0][ICMP].type == 3:
            break
    expect_eq("hops", list(want), hops)


main({
    "expire4": expire4, "arrive4": arrive4, "expire6": expire6,
    "arrive6": arrive6, "trace": trace,
})
