# SPDX-License-Identifier: ISC
"""
icmp_errors: RFC 7915 4.2-4.3 and 5.2-5.3, ICMP errors and the packet they
quote, translated both ways; RFC 6791 sources; what must not be translated.
Usage: icmp_errors.py CASE [ARGS].

An error about a packet the client sent is crafted on the server's link,
as the server or a router would send it, and checked at the client; an
error about a packet the server sent is crafted on the client's link.
"""
import ipaddress

from scapy.all import (ICMP, IP, UDP, ICMPv6DestUnreach, ICMPv6NIQueryNOOP,
                       ICMPv6PacketTooBig,
                       ICMPv6ParamProblem, ICMPv6TimeExceeded, IPerror,
                       IPerror6, IPv6, UDPerror, raw)

from tmnet import (V4_CLIENT, V4_SERVER, V6_CLIENT, V6_SERVER, client,
                   expect, expect_checksums, expect_eq, icmp4_about,
                   icmp6_about, main, new_port, payload, server)

SPORT = 40000
QUOTED = 32  # payload bytes of the quoted datagram

# ICMPv6 error -> (ICMPv4 type, code, field, value), RFC 7915 5.2.
ERRORS6 = {
    "unreach-0": (ICMPv6DestUnreach(code=0), (3, 1, None, None)),
    "unreach-1": (ICMPv6DestUnreach(code=1), (3, 10, None, None)),
    "unreach-3": (ICMPv6DestUnreach(code=3), (3, 1, None, None)),
    "unreach-4": (ICMPv6DestUnreach(code=4), (3, 3, None, None)),
    "too-big-1400": (ICMPv6PacketTooBig(mtu=1400),
                     (3, 4, "nexthopmtu", 1380)),
    # minimum(1600 - 20, IPv4 next hop 1500, IPv6 next hop 1500 - 20)
    "too-big-1600": (ICMPv6PacketTooBig(mtu=1600),
                     (3, 4, "nexthopmtu", 1480)),
    "time-exceeded": (ICMPv6TimeExceeded(code=0), (11, 0, None, None)),
    "param-hop-limit": (ICMPv6ParamProblem(code=0, ptr=7), (12, 0, "ptr", 8)),
    "param-next-header": (ICMPv6ParamProblem(code=1, ptr=6),
                          (3, 2, None, None)),
}

# ICMPv4 error -> (ICMPv6 class, code, field, value), RFC 7915 4.2.
ERRORS4 = {
    "unreach-1": (ICMP(type=3, code=1), (ICMPv6DestUnreach, 0, None, None)),
    "unreach-3": (ICMP(type=3, code=3), (ICMPv6DestUnreach, 4, None, None)),
    "unreach-13": (ICMP(type=3, code=13),
                   (ICMPv6DestUnreach, 1, None, None)),
    "unreach-2": (ICMP(type=3, code=2), (ICMPv6ParamProblem, 1, "ptr", 6)),
    "time-exceeded": (ICMP(type=11, code=0),
                      (ICMPv6TimeExceeded, 0, None, None)),
    "param-ttl": (ICMP(type=12, code=0, ptr=8),
                  (ICMPv6ParamProblem, 0, "ptr", 7)),
    "param-source": (ICMP(type=12, code=0, ptr=12),
                     (ICMPv6ParamProblem, 0, "ptr", 8)),
}


def in_prefix(addr, prefix):
    return ipaddress.ip_address(addr) in ipaddress.ip_network(prefix)


def broken(pkt):
    """pkt with its ICMP or ICMPv6 checksum off by one bit."""
    pkt = pkt.__class__(raw(pkt))
    layer = pkt[ICMP] if ICMP in pkt else pkt.payload
    field = "chksum" if ICMP in pkt else "cksum"
    setattr(layer, field, getattr(layer, field) ^ 1)
    return pkt


# ---- ICMPv6 -> ICMPv4 ------------------------------------------------------

def quoted6(port):
    """The client's datagram as the server side saw it."""
    return IPv6(src=V6_CLIENT, dst=V6_SERVER, hlim=63) / UDP(
        sport=SPORT, dport=port) / payload(QUOTED, seed=port)


def error6(icmp6, port, src):
    return IPv6(src=src, dst=V6_CLIENT) / icmp6.copy() / quoted6(port)


def check_quote4(e, port):
    q = e[IPerror]
    expect_eq("quoted addresses", (V4_CLIENT, V4_SERVER), (q.src, q.dst))
    expect_eq("quoted protocol", 17, q.proto)
    expect_eq("quoted total length", 28 + QUOTED, q.len)
    expect_eq("quoted ports", (SPORT, port),
              (e[UDPerror].sport, e[UDPerror].dport))


def err6(kind, src=V6_SERVER, want_src=V4_SERVER):
    """An ICMPv6 error from src arrives as ICMPv4 from want_src."""
    icmp6, (t, c, field, value) = ERRORS6[kind]
    cl, sv = client(), server()
    port = new_port()
    lc = cl.listen()
    sv.send(error6(icmp6, port, src))
    e = lc.one(icmp4_about(port), "ICMPv4 error at the client")
    expect_eq("type/code", (t, c), (e[ICMP].type, e[ICMP].code))
    if field is not None:
        expect_eq(field, value, getattr(e[ICMP], field))
    expect(in_prefix(e.src, want_src), f"source {e.src}, not in {want_src}")
    expect_eq("destination", V4_CLIENT, e.dst)
    check_quote4(e, port)
    expect_checksums(e)


def none6(kind):
    """An ICMPv6 message that must not reach the client at all."""
    cl, sv = client(), server()
    port = new_port()
    if kind == "param-option":
        pkt = error6(ICMPv6ParamProblem(code=2, ptr=40), port, V6_SERVER)
    elif kind == "bad-checksum":
        pkt = broken(error6(ICMPv6DestUnreach(code=4), port, V6_SERVER))
    else:
        pkt = IPv6(src=V6_SERVER, dst=V6_CLIENT) / ICMPv6NIQueryNOOP(
            nonce=b"tunmapd!")
    lc = cl.listen()
    sv.send(pkt)
    if kind == "node-information":
        lc.nothing(lambda p: p.src == V4_SERVER and ICMP in p and
                   p[ICMP].type not in (3, 11, 12), "an ICMPv4 message")
    else:
        lc.nothing(icmp4_about(port), "an ICMPv4 error")


# ---- ICMPv4 -> ICMPv6 ------------------------------------------------------

def quoted4(port, tot=None):
    """The server's datagram as the client side saw it; tot: the length
    its header claims, when only the start of it is quoted."""
    data = payload(QUOTED, seed=port)
    if tot is None:
        return IP(src=V4_SERVER, dst=V4_CLIENT, ttl=63) / UDP(
            sport=SPORT, dport=port) / data
    return IP(src=V4_SERVER, dst=V4_CLIENT, ttl=63, flags="DF", len=tot) / UDP(
        sport=SPORT, dport=port, len=tot - 20) / data


def error4(icmp, port, tot=None):
    return IP(src=V4_CLIENT, dst=V4_SERVER) / icmp.copy() / quoted4(port, tot)


def check_quote6(e, port, plen):
    q = e[IPerror6]
    expect_eq("quoted addresses", (V6_SERVER, V6_CLIENT), (q.src, q.dst))
    expect_eq("quoted next header", 17, q.nh)
    expect_eq("quoted payload length", plen, q.plen)
    expect_eq("quoted ports", (SPORT, port),
              (e[UDPerror].sport, e[UDPerror].dport))


def to_server6(pkt, port):
    cl, sv = client(), server()
    ls = sv.listen()
    cl.send(pkt)
    e = ls.one(icmp6_about(port), "ICMPv6 error at the server")
    expect_eq("addresses", (V6_CLIENT, V6_SERVER), (e.src, e.dst))
    return e


def err4(kind):
    """An ICMPv4 error from the client arrives as ICMPv6 at the server."""
    icmp, (cls, code, field, value) = ERRORS4[kind]
    port = new_port()
    e = to_server6(error4(icmp, port), port)
    expect(cls in e, f"not {cls.__name__}")
    expect_eq("code", code, e[cls].code)
    if field is not None:
        expect_eq(field, value, getattr(e[cls], field))
    check_quote6(e, port, 8 + QUOTED)
    expect_checksums(e)


def need_frag(mtu, want):
    """Fragmentation Needed with MTU mtu about a 1500-byte packet: a Packet
    Too Big with MTU want."""
    port = new_port()
    e = to_server6(error4(ICMP(type=3, code=4, nexthopmtu=int(mtu)), port,
                          1500), port)
    expect(ICMPv6PacketTooBig in e, "not a Packet Too Big")
    expect_eq("MTU", int(want), e[ICMPv6PacketTooBig].mtu)
    check_quote6(e, port, 1480)
    expect_checksums(e)


def none4(kind):
    """An ICMPv4 message that must not reach the server at all."""
    cl, sv = client(), server()
    port = new_port()
    if kind == "bad-checksum":
        pkt = broken(error4(ICMP(type=3, code=3), port))
    else:
        pkt = IP(src=V4_CLIENT, dst=V4_SERVER) / ICMP(type=13, id=port)
    ls = sv.listen()
    cl.send(pkt)
    if kind == "timestamp":
        ls.nothing(lambda p: p.src == V6_CLIENT and p.nh == 58,
                   "an ICMPv6 message")
    else:
        ls.nothing(icmp6_about(port), "an ICMPv6 error")


main({
    "err6": err6, "none6": none6, "err4": err4, "need-frag": need_frag,
    "none4": none4,
})
