# SPDX-License-Identifier: ISC
"""
headers: RFC 7915 4.1 and 5.1, the IP header fields of translated packets,
checked field by field on the other side.  Usage: headers.py CASE [ARGS].
"""
from scapy.all import (ICMP, IP, UDP, ICMPv6ParamProblem, IPerror, IPerror6,
                       IPOption_EOL, IPOption_LSRR, IPOption_NOP, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, raw)

from tmnet import (V4_CLIENT, V4_SERVER, V6_CLIENT, V6_SERVER, client,
                   expect, expect_checksums, expect_eq, icmp4_about,
                   icmp6_about, main, new_port, payload, server, udp_to)


def to_server(pkt, port):
    """Send pkt from the client; the one datagram the server gets."""
    c, s = client(), server()
    ls = s.listen()
    c.send(pkt)
    return ls.one(udp_to(port), "translated datagram at the server")


def to_client(pkt, port):
    """Send pkt from the server; the one datagram the client gets."""
    c, s = client(), server()
    lc = c.listen()
    s.send(pkt)
    return lc.one(udp_to(port), "translated datagram at the client")


def udp4(port, n=100, **ip):
    return (IP(src=V4_CLIENT, dst=V4_SERVER, **ip) /
            UDP(sport=40000, dport=port) / payload(n))


def udp6(port, n=100, ext=None, **ip):
    head = IPv6(src=V6_SERVER, dst=V6_CLIENT, **ip)
    if ext is not None:
        head = head / ext
    return head / UDP(sport=40000, dport=port) / payload(n)


# ---- IPv4 -> IPv6 ----------------------------------------------------------

def tclass(tos, want):
    """The Traffic Class of an IPv4 packet with this TOS."""
    port = new_port()
    p = to_server(udp4(port, tos=int(tos, 0)), port)
    expect_eq("traffic class", int(want, 0), p.tc)


def flow_label():
    port = new_port()
    p = to_server(udp4(port, tos=0xb8), port)
    expect_eq("flow label", 0, p.fl)


def payload_length():
    port = new_port()
    p = to_server(udp4(port, n=100), port)
    expect_eq("next header", 17, p.nh)
    expect_eq("payload length (IPv4 total length 128 less 20)", 108, p.plen)
    expect_checksums(p)


def hop_limit(ttl, want):
    port = new_port()
    p = to_server(udp4(port, ttl=int(ttl)), port)
    expect_eq("hop limit", int(want), p.hlim)


def options():
    """IPv4 options (here NOP NOP NOP EOL) do not become extension headers."""
    port = new_port()
    data = payload(100, seed=port)
    opts = [IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_EOL()]
    pkt = (IP(src=V4_CLIENT, dst=V4_SERVER, options=opts) /
           UDP(sport=40000, dport=port) / data)
    expect_eq("IPv4 header length sent", 6, IP(raw(pkt)).ihl)
    p = to_server(pkt, port)
    expect_eq("next header (no extension header)", 17, p.nh)
    expect_eq("payload length", 108, p.plen)
    expect_eq("payload", data, bytes(p[UDP].payload))
    expect_checksums(p)


def source_route():
    """An unexpired LSRR option: not translated, ICMPv4 3/5 instead."""
    c, s = client(), server()
    port = new_port()
    pkt = udp4(port, options=[IPOption_LSRR(routers=["203.0.113.5"])])
    lc, ls = c.listen(), s.listen()
    c.send(pkt)
    e = lc.one(icmp4_about(port), "ICMPv4 error at the client")
    print(f"  error from {e.src}")
    expect_eq("ICMP type/code", (3, 5), (e[ICMP].type, e[ICMP].code))
    expect_eq("quoted packet", (V4_CLIENT, V4_SERVER),
              (e[IPerror].src, e[IPerror].dst))
    expect_checksums(e)
    ls.nothing(udp_to(port), "the datagram itself")


def udp_zero(mode):
    """UDP without checksum: computed (mode compute) or dropped (drop)."""
    c, s = client(), server()
    port = new_port()
    pkt = udp4(port, n=51, id=1)
    pkt[UDP].chksum = 0
    ls = s.listen()
    c.send(pkt)
    if mode == "drop":
        ls.nothing(udp_to(port), "the datagram")
        return
    p = ls.one(udp_to(port), "translated datagram at the server")
    expect(p[UDP].chksum != 0, "UDP checksum still 0")
    expect_checksums(p)


# ---- IPv6 -> IPv4 ----------------------------------------------------------

def tos(tc, want):
    """The TOS of an IPv6 packet with this Traffic Class."""
    port = new_port()
    p = to_client(udp6(port, tc=int(tc, 0)), port)
    expect_eq("type of service", int(want, 0), p.tos)


def total_length():
    port = new_port()
    p = to_client(udp6(port, n=100), port)
    expect_eq("IPv4 header length", 5, p.ihl)
    expect_eq("protocol", 17, p.proto)
    expect_eq("total length (payload length 108 plus 20)", 128, p.len)
    expect_checksums(p)


def ttl(hlim, want):
    port = new_port()
    p = to_client(udp6(port, hlim=int(hlim)), port)
    expect_eq("TTL", int(want), p.ttl)


def dont_fragment(size, want):
    """An IPv6 datagram whose IPv4 form is size bytes long."""
    port = new_port()
    p = to_client(udp6(port, n=int(size) - 28), port)
    expect_eq("total length", int(size), p.len)
    expect_eq("DF", int(want), int(p.flags.DF))
    expect_eq("MF and offset", (0, 0), (int(p.flags.MF), p.frag))
    expect_checksums(p)


def skipped(ext, what):
    port = new_port()
    data = payload(100, seed=port)
    pkt = IPv6(src=V6_SERVER, dst=V6_CLIENT) / ext / UDP(
        sport=40000, dport=port) / data
    p = to_client(pkt, port)
    print(f"  {what} skipped")
    expect_eq("IPv4 header length", 5, p.ihl)
    expect_eq("protocol", 17, p.proto)
    expect_eq("total length", 128, p.len)
    expect_eq("payload", data, bytes(p[UDP].payload))
    expect_checksums(p)


def hop_by_hop():
    skipped(IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt(),
            "Hop-by-Hop and Destination Options")


def routing_done():
    skipped(IPv6ExtHdrRouting(segleft=0, addresses=[V6_CLIENT]),
            "Routing header, Segments Left 0")


def routing_left():
    """Segments Left 1: not translated; Parameter Problem, pointer 43."""
    c, s = client(), server()
    port = new_port()
    pkt = udp6(port, ext=IPv6ExtHdrRouting(segleft=1, addresses=[V6_CLIENT]))
    lc, ls = c.listen(), s.listen()
    s.send(pkt)
    e = ls.one(icmp6_about(port), "ICMPv6 error at the server")
    expect(ICMPv6ParamProblem in e, "not a Parameter Problem")
    pp = e[ICMPv6ParamProblem]
    expect_eq("code", 0, pp.code)
    expect_eq("pointer (40 + 3, Segments Left)", 43, pp.ptr)
    expect_eq("quoted packet", (V6_SERVER, V6_CLIENT),
              (e[IPerror6].src, e[IPerror6].dst))
    expect_checksums(e)
    lc.nothing(udp_to(port), "the datagram itself")


main({
    "tclass": tclass, "flow-label": flow_label,
    "payload-length": payload_length, "hop-limit": hop_limit,
    "options": options, "source-route": source_route, "udp-zero": udp_zero,
    "tos": tos, "total-length": total_length, "ttl": ttl,
    "dont-fragment": dont_fragment, "hop-by-hop": hop_by_hop,
    "routing-done": routing_done, "routing-left": routing_left,
})
