# SPDX-License-Identifier: ISC
"""
softwire: the lwAFTR's packets field by field (RFC 7596, RFC 2473,
RFC 6040), crafted on the Internet host and on a probe that stands for
the lwB4s on the access link of tests/e2e/107-softwire-packets.sh.
Usage: softwire.py CASE.  TM_NS_T is the aftr, TM_NS_I the Internet
host, TM_NS_P the probe, which holds every lwB4 address.

The aftr's kernel routes each packet between its links and the tun
device: an IPv4 packet from the Internet arrives at tunmapd with a TTL
one less than sent, and whatever tunmapd writes towards a link leaves it
with a TTL or hop limit one less than tunmapd wrote.
"""
from scapy.all import (GRE, ICMP, IP, UDP, ICMPv6DestUnreach,
                       ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6PacketTooBig, ICMPv6TimeExceeded, IPv6,
                       fragment, raw)

from tmnet import Host, expect, expect_checksums, expect_eq, main, payload

BR = "2001:db8:ffff::1"
BR2 = "2001:db8:ffff::2"
B4 = {1: "2001:db8:a::b1", 2: "2001:db8:a::b2", 3: "2001:db8:a::b3",
      9: "2001:db8:a::b9"}
ROUTER6 = "2001:db8:a::99"
INET = "203.0.113.10"
SELF4 = "192.0.2.254"
SHARED = "198.51.100.1"
WHOLE = "198.51.100.2"
NOBODY = "198.51.100.3"
HOP_LIMIT = 50          # the configuration's hop-limit


def port_of(psid, a=1, j=5):
    """A port of the set of psid (k = 6, offset 6; RFC 7597 5.1)."""
    return a << 10 | psid << 4 | j


def inet():
    return Host("I", "inet")


def probe():
    return Host("P", "access")


def tunnelled(p, src, dst):
    """p is IPv4-in-IPv6 from src to dst: the outer header checked."""
    expect(isinstance(p, IPv6), f"not IPv6: {p.summary()}")
    expect_eq("outer source", src, p.src)
    expect_eq("outer destination", dst, p.dst)
    expect_eq("outer next header", 4, p.nh)
    expect_eq("outer hop limit", HOP_LIMIT - 1, p.hlim)
    expect_eq("outer flow label", 0, p.fl)
    inner = p.payload
    expect(isinstance(inner, IP), "no IPv4 inside")
    expect_eq("outer payload length", len(raw(inner)), p.plen)
    expect_checksums(inner)
    return inner


def udp4_to(dst, dport, ttl=30, tos=0, sport=53, src=INET):
    return (IP(src=src, dst=dst, ttl=ttl, tos=tos, id=0x4242) /
            UDP(sport=sport, dport=dport) / payload(40, dport))


def tun_to(dst, dport):
    return lambda p: (isinstance(p, IPv6) and p.nh == 4 and
                      UDP in p and p[UDP].dport == dport and p.dst == dst)


def icmp4_quoting(dport):
    return lambda p: (isinstance(p, IP) and ICMP in p and
                      p[ICMP].type in (3, 11) and
                      len(raw(p[ICMP].payload)) >= 24 and
                      int.from_bytes(raw(p[ICMP].payload)[22:24],
                                     "big") == dport)


def icmp4_error(p, src, dst, type_, code, quoted, ttl_sent=None):
    """p is ICMPv4 type/code from src to dst quoting the packet quoted."""
    expect_eq("ICMPv4 type/code", (type_, code), (p[ICMP].type,
                                                  p[ICMP].code))
    expect_eq("ICMPv4 source", src, p.src)
    expect_eq("ICMPv4 destination", dst, p.dst)
    expect_eq("ICMPv4 TTL (64 less the aftr's hop)", 63, p.ttl)
    expect_eq("ICMPv4 TOS", 0, p.tos)
    expect_checksums(p)
    q = IP(raw(p[ICMP].payload))
    expect_eq("quoted source", quoted.src, q.src)
    expect_eq("quoted destination", quoted.dst, q.dst)
    expect_eq("quoted protocol", quoted.proto, q.proto)
    if ttl_sent is not None:
        expect_eq("quoted TTL", ttl_sent - 1, q.ttl)
    return q


# ---- from the Internet ------------------------------------------------------

def in_shared():
    """UDP to a port of PSID 1: to lwB4 1 from BR, TTL less one, TOS and
    ECN in the traffic class, the rest as sent."""
    i, b = inet(), probe()
    port = port_of(1)
    lb = b.listen()
    sent = udp4_to(SHARED, port, ttl=30, tos=0xb9)
    i.send(sent)
    p = lb.one(tun_to(B4[1], port), "the tunnelled datagram")
    inner = tunnelled(p, BR, B4[1])
    expect_eq("outer traffic class (copy-tos)", 0xb9, p.tc)
    expect_eq("inner TTL", 29, inner.ttl)
    expect_eq("inner TOS", 0xb9, inner.tos)
    expect_eq("inner identification", 0x4242, inner.id)
    expect_eq("inner payload", raw(sent[UDP]), raw(inner[UDP]))


def in_shared_br2():
    """PSID 2 is bound through the second BR address: from it."""
    i, b = inet(), probe()
    port = port_of(2, a=63, j=15)
    lb = b.listen()
    i.send(udp4_to(SHARED, port))
    tunnelled(lb.one(tun_to(B4[2], port), "the tunnelled datagram"),
              BR2, B4[2])


def unbound_port():
    """A port of a set bound to no one: ICMPv4 3/1 from ipv4-address,
    quoting the datagram; nothing into the softwire."""
    i, b = inet(), probe()
    port = port_of(3)
    li, lb = i.listen(), b.listen()
    sent = udp4_to(SHARED, port, ttl=20)
    i.send(sent)
    p = li.one(icmp4_quoting(port), "the ICMPv4 error")
    icmp4_error(p, SELF4, INET, 3, 1, sent, ttl_sent=20)
    lb.nothing(lambda p: isinstance(p, IPv6) and p.nh == 4,
               "a tunnelled packet", timeout=0.5)


def low_port():
    """Ports 0-1023 of a shared address are in no set (offset 6)."""
    i = inet()
    li = i.listen()
    sent = udp4_to(SHARED, 80)
    i.send(sent)
    icmp4_error(li.one(icmp4_quoting(80), "the ICMPv4 error"), SELF4,
                INET, 3, 1, sent)


def no_binding():
    """An address bound to no one: ICMPv4 3/1 from ipv4-address."""
    i = inet()
    li = i.listen()
    sent = udp4_to(NOBODY, 4000)
    i.send(sent)
    icmp4_error(li.one(icmp4_quoting(4000), "the ICMPv4 error"), SELF4,
                INET, 3, 1, sent)


def gre_to(dst):
    return (IP(src=INET, dst=dst, ttl=30, id=0x4747) / GRE(proto=0x0800) /
            IP(src="192.0.2.77", dst="192.0.2.78") / payload(20, 47))


def gre_whole():
    """GRE to an address bound whole: carried, it needs no port."""
    i, b = inet(), probe()
    lb = b.listen()
    i.send(gre_to(WHOLE))
    p = lb.one(lambda p: isinstance(p, IPv6) and p.nh == 4 and
               IP in p and p[IP].proto == 47, "the tunnelled GRE")
    inner = tunnelled(p, BR, B4[3])
    expect_eq("inner destination", WHOLE, inner.dst)


def gre_shared():
    """GRE to a shared address: no port, no binding, ICMPv4 3/1."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    sent = gre_to(SHARED)
    i.send(sent)
    p = li.one(lambda p: ICMP in p and p[ICMP].type == 3 and
               raw(p[ICMP].payload)[9] == 47, "the ICMPv4 error")
    icmp4_error(p, SELF4, INET, 3, 1, sent, ttl_sent=30)
    lb.nothing(lambda p: isinstance(p, IPv6) and p.nh == 4,
               "a tunnelled packet", timeout=0.5)


def echo4(dst, ident, type_=8):
    return (IP(src=INET, dst=dst, ttl=30) /
            ICMP(type=type_, id=ident, seq=1) / payload(24, ident))


def is_icmp4(type_, ident):
    return lambda p: (isinstance(p, IP) and ICMP in p and
                      p[ICMP].type == type_ and p[ICMP].id == ident)


def echo_shared():
    """An echo request to a shared address, shared-echo "drop": no reply,
    nothing into a softwire, even with an identifier of a set."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    ident = port_of(1)
    i.send(echo4(SHARED, ident))
    lb.nothing(lambda p: isinstance(p, IPv6) and p.nh == 4,
               "a tunnelled packet", timeout=1.0)
    li.nothing(lambda p: ICMP in p, "an ICMP answer", timeout=0.2)


def echo_whole():
    """An echo request to an address bound whole goes to its lwB4."""
    i, b = inet(), probe()
    lb = b.listen()
    i.send(echo4(WHOLE, 777))
    p = lb.one(lambda p: isinstance(p, IPv6) and is_icmp4(8, 777)(p[IP]),
               "the tunnelled echo request")
    tunnelled(p, BR, B4[3])


def echo_reply_shared():
    """An echo reply to a shared address goes by its identifier."""
    i, b = inet(), probe()
    lb = b.listen()
    ident = port_of(2)
    i.send(echo4(SHARED, ident, type_=0))
    p = lb.one(lambda p: isinstance(p, IPv6) and IP in p and
               is_icmp4(0, ident)(p[IP]), "the tunnelled echo reply")
    tunnelled(p, BR2, B4[2])


def echo_self():
    """An echo request to ipv4-address is answered from it."""
    i = inet()
    li = i.listen()
    i.send(echo4(SELF4, 4321))
    p = li.one(is_icmp4(0, 4321), "the echo reply")
    expect_eq("source", SELF4, p.src)
    expect_checksums(p)


def error_in():
    """An ICMPv4 error about a subscriber's datagram goes by the quoted
    source port."""
    i, b = inet(), probe()
    lb = b.listen()
    port = port_of(1, a=7)
    quoted = IP(src=SHARED, dst=INET, ttl=1) / UDP(sport=port, dport=53)
    i.send(IP(src=INET, dst=SHARED, ttl=30) / ICMP(type=3, code=3) /
           raw(quoted))
    p = lb.one(lambda p: isinstance(p, IPv6) and IP in p and ICMP in p and
               p[ICMP].type == 3, "the tunnelled ICMPv4 error")
    tunnelled(p, BR, B4[1])


# ---- from the lwB4s ---------------------------------------------------------

def out_udp(b4, br, src, sport, dst=INET, ttl=30, tos=0, tc=0, plen=None):
    inner = (IP(src=src, dst=dst, ttl=ttl, tos=tos, id=0x5151) /
             UDP(sport=sport, dport=7) / payload(40, sport))
    outer = IPv6(src=b4, dst=br, hlim=64, tc=tc)
    if plen is not None:
        outer.plen = plen
    return outer / inner


def udp_from(sport):
    return lambda p: (isinstance(p, IP) and UDP in p and
                      p[UDP].sport == sport)


def out_ok():
    """Decapsulated to the Internet: TTL less the kernel's hop, the
    rest as sent."""
    i, b = inet(), probe()
    li = i.listen()
    port = port_of(1, a=9)
    sent = out_udp(B4[1], BR, SHARED, port, ttl=30, tos=0x48)
    b.send(sent)
    p = li.one(udp_from(port), "the datagram at the Internet host")
    expect_eq("source", SHARED, p.src)
    expect_eq("TTL", 29, p.ttl)
    expect_eq("TOS", 0x48, p.tos)
    expect_eq("identification", 0x5151, p.id)
    expect_eq("payload", raw(sent[UDP]), raw(p[UDP]))
    expect_checksums(p)


def ecn_ce():
    """RFC 6040: outer CE over inner ECT(0) arrives CE, checksum right;
    over inner Not-ECT it is dropped."""
    i, b = inet(), probe()
    li = i.listen()
    port = port_of(1, a=10)
    b.send(out_udp(B4[1], BR, SHARED, port, tos=0x02, tc=0x03))
    p = li.one(udp_from(port), "the datagram at the Internet host")
    expect_eq("ECN field", 3, p.tos & 3)
    expect_checksums(p)
    port = port_of(1, a=11)
    b.send(out_udp(B4[1], BR, SHARED, port, tos=0x00, tc=0x03))
    li.nothing(udp_from(port), "the Not-ECT datagram under CE")


def spoof():
    """An lwB4 without a binding sends as subscriber 1: ICMPv6 1/5 from
    the BR address, quoting the packet; nothing reaches the Internet."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    port = port_of(1, a=12)
    sent = out_udp(B4[9], BR, SHARED, port)
    b.send(sent)
    p = lb.one(lambda p: ICMPv6DestUnreach in p and p.dst == B4[9],
               "the ICMPv6 error")
    expect_eq("type/code", (1, 5), (p[ICMPv6DestUnreach].type,
                                    p[ICMPv6DestUnreach].code))
    expect_eq("source", BR, p.src)
    expect_eq("hop limit (64 less the aftr's hop)", 63, p.hlim)
    expect_checksums(p)
    q = raw(p[ICMPv6DestUnreach].payload)
    expect_eq("quoted source", B4[9], str(IPv6(q).src))
    expect_eq("quoted inner packet", raw(sent[IP]), q[40:])
    li.nothing(udp_from(port), "the spoofed datagram", timeout=0.5)


def wrong_br():
    """lwB4 2 is bound through the second BR; to the first: refused."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    port = port_of(2, a=13)
    b.send(out_udp(B4[2], BR, SHARED, port))
    p = lb.one(lambda p: ICMPv6DestUnreach in p and p.dst == B4[2],
               "the ICMPv6 error")
    expect_eq("type/code", (1, 5), (p[ICMPv6DestUnreach].type,
                                    p[ICMPv6DestUnreach].code))
    expect_eq("source", BR, p.src)
    li.nothing(udp_from(port), "the datagram", timeout=0.5)


def hairpin():
    """Subscriber 1 to subscriber 2's port of the same address: straight
    back into the softwire of 2, from BR2, TTL less one."""
    b = probe()
    lb = b.listen()
    port = port_of(2, a=14)
    inner = (IP(src=SHARED, dst=SHARED, ttl=30) /
             UDP(sport=port_of(1, a=14), dport=port) / payload(16, 1))
    b.send(IPv6(src=B4[1], dst=BR) / inner)
    p = lb.one(tun_to(B4[2], port), "the hairpinned datagram")
    got = tunnelled(p, BR2, B4[2])
    expect_eq("inner TTL", 29, got.ttl)


def ttl_one():
    """Inner TTL 1 to the Internet: the kernel's time exceeded comes back
    through the softwire; nothing reaches the Internet."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    port = port_of(1, a=15)
    b.send(out_udp(B4[1], BR, SHARED, port, ttl=1))
    p = lb.one(lambda p: isinstance(p, IPv6) and IP in p and ICMP in p and
               p[ICMP].type == 11 and p.dst == B4[1],
               "the tunnelled time exceeded")
    inner = tunnelled(p, BR, B4[1])
    expect_eq("code", 0, inner[ICMP].code)
    li.nothing(udp_from(port), "the datagram", timeout=0.3)


def truncated():
    """An inner Total Length past the end: dropped."""
    i, b = inet(), probe()
    li = i.listen()
    port = port_of(1, a=16)
    sent = out_udp(B4[1], BR, SHARED, port)
    sent[IP].len = len(raw(sent[IP])) + 8
    b.send(sent)
    li.nothing(udp_from(port), "the datagram")


def lwb4_frags(b4, br, src, sport, ident, size=600):
    """The fragments of 256 bytes a lwB4's NAT cuts a UDP datagram from
    its LAN into, each tunnelled in an IPv6 packet of its own."""
    whole = (IP(src=src, dst=INET, ttl=30, id=ident) /
             UDP(sport=sport, dport=7) / payload(size, ident & 0xff))
    return whole, [IPv6(src=b4, dst=br) / f
                   for f in fragment(whole, fragsize=256)]


def by_id(ident):
    return lambda p: isinstance(p, IP) and p.id == ident


def inner_frags():
    """IPv4 fragments tunnelled by a lwB4 (RFC 7597 8.3.3).  From an
    address bound whole they reach the Internet as they were sent.  From
    a shared address, whose ports only the first holds, the lwAFTR puts
    them together before the ingress filter: the two lwB4s of the
    address send datagrams with the same Identification, their fragments
    interleaved and out of order, and each arrives whole, as sent."""
    i, b = inet(), probe()
    li = i.listen()
    _, frags = lwb4_frags(B4[3], BR, WHOLE, port_of(1, a=17), 0x6161)
    b.send(*frags)
    got = li.collect(by_id(0x6161), 3)
    expect_eq("fragments from the whole address", 3, len(got))
    expect_eq("offsets", [0, 32, 64], sorted(p.frag for p in got))
    for p in got:
        expect_eq("TTL", 29, p.ttl)
        expect_checksums(p)
    w1, f1 = lwb4_frags(B4[1], BR, SHARED, port_of(1, a=17), 0x6262)
    w2, f2 = lwb4_frags(B4[2], BR2, SHARED, port_of(2, a=17), 0x6262,
                        size=900)
    b.send(f1[2], f2[1], f1[0], f2[0], f2[3], f1[1], f2[2])
    got = li.collect(by_id(0x6262), 2)
    expect_eq("datagrams from the shared address", 2, len(got))
    for p in got:
        sent = w1 if p[UDP].sport == w1[UDP].sport else w2
        expect_eq("fragment offset and MF", (0, 0),
                  (p.frag, int(p.flags.MF)))
        expect_eq("TTL", 29, p.ttl)
        expect_eq("datagram", raw(sent[UDP]), raw(p[UDP]))
        expect_checksums(p)


def inner_frags_spoofed():
    """lwB4 2 sends fragments of a datagram with a port of lwB4 1's set:
    put together, the whole fails the ingress filter; ICMPv6 1/5 from
    the BR address, and nothing reaches the Internet."""
    i, b = inet(), probe()
    li, lb = i.listen(), b.listen()
    _, frags = lwb4_frags(B4[2], BR2, SHARED, port_of(1, a=18), 0x6464)
    b.send(*reversed(frags))
    p = lb.one(lambda p: ICMPv6DestUnreach in p and p.dst == B4[2],
               "the ICMPv6 error")
    expect_eq("type/code", (1, 5), (p[ICMPv6DestUnreach].type,
                                    p[ICMPv6DestUnreach].code))
    expect_eq("source", BR2, p.src)
    li.nothing(by_id(0x6464), "the spoofed datagram", timeout=0.5)


def echo_br():
    """ICMPv6 echo to the BR address: answered from it."""
    b = probe()
    lb = b.listen()
    b.send(IPv6(src=B4[1], dst=BR) / ICMPv6EchoRequest(id=99, seq=3,
                                                       data=payload(32)))
    p = lb.one(lambda p: ICMPv6EchoReply in p and p.dst == B4[1],
               "the echo reply")
    expect_eq("source", BR, p.src)
    expect_eq("identifier", 99, p[ICMPv6EchoReply].id)
    expect_checksums(p)


def relay(kind):
    """An ICMPv6 error from a router on the access link about a packet
    tunnelled to lwB4 3 reaches the Internet host as ICMPv4 from
    ipv4-address, quoting the inner IPv4 packet."""
    i, b = inet(), probe()
    li = i.listen()
    inner = (IP(src=INET, dst=WHOLE, ttl=29, flags="DF") /
             UDP(sport=53, dport=6000 + len(kind)) / payload(1400))
    quoted = raw(IPv6(src=BR, dst=B4[3], hlim=49) / inner)[:1232]
    err = {"ptb": ICMPv6PacketTooBig(mtu=1400),
           "ptb-lie": ICMPv6PacketTooBig(mtu=1000),
           "time": ICMPv6TimeExceeded(code=0)}[kind]
    b.send(IPv6(src=ROUTER6, dst=BR) / err / quoted)
    match = icmp4_quoting(6000 + len(kind))
    if kind == "ptb-lie":
        li.nothing(match, "an ICMPv4 error")
        return
    p = li.one(match, "the relayed ICMPv4 error")
    if kind == "ptb":
        icmp4_error(p, SELF4, INET, 3, 4, inner)
        expect_eq("next-hop MTU", 1360, p[ICMP].nexthopmtu)
    else:
        icmp4_error(p, SELF4, INET, 3, 1, inner)


main({
    "in-shared": in_shared,
    "in-shared-br2": in_shared_br2,
    "unbound-port": unbound_port,
    "low-port": low_port,
    "no-binding": no_binding,
    "gre-whole": gre_whole,
    "gre-shared": gre_shared,
    "echo-shared": echo_shared,
    "echo-whole": echo_whole,
    "echo-reply-shared": echo_reply_shared,
    "echo-self": echo_self,
    "error-in": error_in,
    "out-ok": out_ok,
    "ecn-ce": ecn_ce,
    "spoof": spoof,
    "wrong-br": wrong_br,
    "hairpin": hairpin,
    "ttl-one": ttl_one,
    "truncated": truncated,
    "inner-frags": inner_frags,
    "inner-frags-spoofed": inner_frags_spoofed,
    "echo-br": echo_br,
    "relay-ptb": lambda: relay("ptb"),
    "relay-ptb-lie": lambda: relay("ptb-lie"),
    "relay-time": lambda: relay("time"),
})
