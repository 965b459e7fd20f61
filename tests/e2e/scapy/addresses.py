# SPDX-License-Identifier: ISC
"""
addresses: which addresses are translated, and into what (RFC 7915,
RFC 6052, RFC 7757).  Usage: addresses.py CASE [ARGS].

    pass4 SRC DST SRC6 DST6   UDP from the client's link arrives as SRC6->DST6
    drop4 SRC DST             UDP from the client's link does not arrive
    pass6 SRC DST SRC4 DST4   UDP from the server's link arrives as SRC4->DST4
    drop6 SRC DST             UDP from the server's link does not arrive
    hairpin-source DST SRC6   UDP from the second server to DST arrives at
                              the first server from SRC6
    hairpin-udp DST           a UDP exchange of the second server with DST
"""
import ipaddress
import socket

from scapy.all import IP, UDP, IPv6

from tmnet import (WAIT, Fail, Host, client, expect_eq, main, new_port,
                   payload, server, udp_to)


def canon(a):
    return str(ipaddress.ip_address(a))


def datagram(ip, port):
    return ip / UDP(sport=40000, dport=port) / payload(64, seed=port)


def pass4(src, dst, src6, dst6):
    c, s = client(), server()
    port = new_port()
    ls = s.listen()
    c.send(datagram(IP(src=src, dst=dst), port))
    p = ls.one(udp_to(port), "translated datagram at the server")
    expect_eq("addresses", (canon(src6), canon(dst6)), (p.src, p.dst))


def drop4(src, dst):
    c, s = client(), server()
    port = new_port()
    ls = s.listen()
    c.send(datagram(IP(src=src, dst=dst), port))
    ls.nothing(udp_to(port), "a translated datagram")


def pass6(src, dst, src4, dst4):
    c, s = client(), server()
    port = new_port()
    lc = c.listen()
    s.send(datagram(IPv6(src=src, dst=dst), port))
    p = lc.one(udp_to(port), "translated datagram at the client")
    expect_eq("addresses", (src4, dst4), (p.src, p.dst))


def drop6(src, dst):
    c, s = client(), server()
    port = new_port()
    lc = c.listen()
    s.send(datagram(IPv6(src=src, dst=dst), port))
    lc.nothing(udp_to(port), "a translated datagram")


def server2():
    return Host("S2", "to-server2")


def hairpin_source(dst, src6):
    """What the first server sees of a datagram the second one sent."""
    s, s2 = server(), server2()
    port = new_port()
    ls = s.listen()
    sock = s2.socket(socket.AF_INET6)
    sock.sendto(payload(64, seed=port), (dst, port))
    p = ls.one(udp_to(port), "the datagram at the first server")
    expect_eq("source", canon(src6), p.src)


def hairpin_udp(dst):
    """The second server sends to dst and gets the echo back from dst."""
    s, s2 = server(), server2()
    port = new_port()
    data = payload(64, seed=port)
    srv = s.socket(socket.AF_INET6)
    srv.bind(("::", port))
    srv.settimeout(WAIT)
    cli = s2.socket(socket.AF_INET6)
    cli.settimeout(WAIT)
    cli.sendto(data, (dst, port))
    try:
        got, peer = srv.recvfrom(65535)
    except socket.timeout:
        raise Fail(f"nothing reached the first server in {WAIT} s") from None
    print(f"  the first server got {len(got)} bytes from {peer[0]}")
    srv.sendto(got, peer[:2])
    try:
        back, echoer = cli.recvfrom(65535)
    except socket.timeout:
        raise Fail(f"no echo within {WAIT} s: the first server answered "
                   f"{peer[0]}") from None
    print(f"  the second server got {len(back)} bytes from {echoer[0]}")
    expect_eq("echo from", canon(dst), canon(echoer[0]))
    expect_eq("echo", data, back)


main({
    "pass4": pass4, "drop4": drop4, "pass6": pass6, "drop6": drop6,
    "hairpin-source": hairpin_source, "hairpin-udp": hairpin_udp,
})
