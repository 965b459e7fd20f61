# SPDX-License-Identifier: ISC
"""
tmnet: crafted packets through the translator that lib.sh sets up.

One process moves between the network namespaces with setns(2).  A socket
stays in the namespace it was opened in, so the process can listen on the
server's link and send on the client's.  Frames are written and captured
on the end hosts' own links, addressed to the translator's MAC, so neither
scapy's routing nor the end hosts' kernels touch what is sent.

A case is a function that returns when the behaviour is there and raises
Fail, saying what it saw, when it is not.  main() runs the case named on
the command line; exit status 0 or 1, diagnostics on stdout.
"""
import contextlib
import ctypes
import fcntl
import os
import random
import socket
import struct
import sys

from scapy.all import (ICMP, IP, UDP, Ether, IPerror6, IPv6,
                       IPv6ExtHdrFragment, UDPerror, conf, raw, sniff)
from scapy.arch.linux import L2Socket
from scapy.utils import checksum

# The topology of lib.sh.
V4_CLIENT = "198.51.100.2"
V4_SERVER = "192.0.2.1"
V6_SERVER = "2001:db8::100"
V6_CLIENT = "2001:db8:64::c633:6402"
# The RFC 7600 dummy address, the default rfc6791-pool4.
V4_DUMMY = "192.0.0.8"

# How long a packet that must arrive may take: the sniff ends as soon as
# it comes, so a bound far above the usual milliseconds costs nothing,
# and a sanitized daemon on a loaded machine may take seconds.
WAIT = 10.0

CLONE_NEWNET = 0x40000000
SIOCGIFHWADDR = 0x8927

conf.verb = 0
_libc = ctypes.CDLL(None, use_errno=True)
_home = os.open("/proc/self/ns/net", os.O_RDONLY)


class Fail(Exception):
    """The behaviour under test is not there."""


def expect(cond, what):
    if not cond:
        raise Fail(what)


def expect_eq(what, want, got):
    if want != got:
        raise Fail(f"{what}: expected {want!r}, got {got!r}")


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


@contextlib.contextmanager
def netns(name):
    """Run the body inside the named network namespace."""
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        _setns(fd)
        yield
    finally:
        os.close(fd)
        _setns(_home)


def ns_name(role):
    """The namespace of a role (C, T, S, S2) from the environment."""
    return os.environ[f"TM_NS_{role}"]


def mac_of(ifname):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        r = fcntl.ioctl(s, SIOCGIFHWADDR,
                        struct.pack("256s", ifname.encode()))
    return ":".join(f"{b:02x}" for b in r[18:24])


def _l3(frame):
    p = frame.payload
    return p if isinstance(p, (IP, IPv6)) else None


class Host:
    """An end host: its namespace, its link and the translator's end."""

    def __init__(self, role, gw_link, link="eth0"):
        self.ns = ns_name(role)
        self.link = link
        with netns(ns_name("T")):
            self.gw_mac = mac_of(gw_link)
        with netns(self.ns):
            self.mac = mac_of(link)
            self._out = L2Socket(iface=link, promisc=False)

    def send(self, *pkts):
        """Send IP packets to the translator, as frames on the link."""
        for p in pkts:
            self._out.send(Ether(src=self.mac, dst=self.gw_mac) / p)

    def listen(self):
        """A capture of what reaches this host; open it before sending."""
        return Listener(self)

    def socket(self, family, kind=socket.SOCK_DGRAM):
        with netns(self.ns):
            return socket.socket(family, kind)


class Listener:
    """The frames that reach a host, kept from the moment it is made."""

    def __init__(self, host):
        with netns(host.ns):
            self.sock = L2Socket(iface=host.link, promisc=False)

    def collect(self, match, count=1, timeout=WAIT):
        """Up to count packets that match, waiting at most timeout."""
        def keep(frame):
            p = _l3(frame)
            return p is not None and match(p)
        found = sniff(opened_socket=self.sock, lfilter=keep, count=count,
                      timeout=timeout)
        got = [_l3(f) for f in found]
        for p in got:
            print("  got:", p.summary())
        return got

    def one(self, match, what, timeout=WAIT):
        """The one packet that matches; fails if none comes."""
        got = self.collect(match, 1, timeout)
        expect(got, f"no {what} arrived within {timeout} s")
        return got[0]

    def nothing(self, match, what, timeout=1.5):
        """Fails if a packet that matches comes within timeout."""
        got = self.collect(match, 1, timeout)
        expect(not got, f"{what} arrived: {got[0].summary() if got else ''}")


def client():
    return Host("C", "to-client")


def server():
    return Host("S", "to-server")


def new_port():
    return random.randint(20000, 60000)


def payload(n, seed=None):
    rnd = random.Random(seed)
    return bytes(rnd.getrandbits(8) for _ in range(n))


# ---- matching --------------------------------------------------------------

def udp_to(port):
    """A UDP datagram (not an ICMP error about one) to port."""
    return lambda p: UDP in p and p[UDP].dport == port


def frag_of(ident):
    """An IPv4 fragment, or an IPv6 packet with a Fragment header, of id."""
    def match(p):
        if isinstance(p, IP):
            return p.id == ident and (p.flags.MF or p.frag > 0)
        return IPv6ExtHdrFragment in p and p[IPv6ExtHdrFragment].id == ident
    return match


def icmp4_about(port):
    """An ICMPv4 error quoting a UDP datagram to port."""
    return lambda p: (ICMP in p and UDPerror in p and
                      p[UDPerror].dport == port)


def icmp6_about(port):
    """An ICMPv6 error quoting a UDP datagram to port."""
    def match(p):
        if IPerror6 not in p:
            return False
        # After an extension header scapy names the quoted UDP plain UDP.
        udp = UDPerror if UDPerror in p else UDP
        return udp in p and p[udp].dport == port
    return match


# ---- checksums -------------------------------------------------------------

def _route_end4(b, ihl):
    """The final destination of a source route option, or None."""
    i = 20
    while i < ihl and b[i] != 0:
        if b[i] == 1:
            i += 1
            continue
        n = b[i + 1] if i + 1 < ihl else 0
        if n < 2:
            break
        if b[i] in (131, 137) and n >= 7:
            return b[i + n - 4:i + n]
        i += n
    return None


def _pseudo4(b, proto, length):
    """The pseudo-header; a source-routed datagram is summed with its
    final destination, the last address of the route, as scapy does."""
    dst = _route_end4(b, (b[0] & 15) * 4) or b[16:20]
    return b[12:16] + dst + struct.pack("!BBH", 0, proto, length)


def _pseudo6(b, nh, length):
    return b[8:40] + struct.pack("!I3xB", length, nh)


def _l4_errors(proto, seg, pseudo, where, v6):
    """Checksum problems of a whole transport segment."""
    if proto == 17 and len(seg) >= 8 and seg[6:8] == b"\0\0":
        return [f"{where}: UDP checksum 0"] if v6 else []
    if proto in (6, 17):
        ok = checksum(pseudo + seg) == 0
        return [] if ok else [f"{where}: {'TCP' if proto == 6 else 'UDP'} "
                              "checksum wrong"]
    if proto == 1 and not v6:
        errs = [] if checksum(seg) == 0 else [f"{where}: ICMP checksum"]
        if seg[0] in (3, 11, 12) and where == "outer":
            errs += _errors4(seg[8:], "inner")
        return errs
    if proto == 58 and v6:
        ok = checksum(pseudo + seg) == 0
        errs = [] if ok else [f"{where}: ICMPv6 checksum wrong"]
        if seg[0] < 128 and where == "outer":
            errs += _errors6(seg[8:], "inner")
        return errs
    return []


def _errors4(b, where):
    ihl = (b[0] & 15) * 4
    if len(b) < ihl:
        return [f"{where}: IPv4 header cut short"]
    errs = [] if checksum(b[:ihl]) == 0 else [f"{where}: IPv4 header "
                                                "checksum wrong"]
    tot = int.from_bytes(b[2:4], "big")
    if int.from_bytes(b[6:8], "big") & 0x3fff or len(b) < tot:
        return errs  # a fragment, or a quote cut short
    seg = b[ihl:tot]
    return errs + _l4_errors(b[9], seg, _pseudo4(b, b[9], len(seg)),
                             where, False)


def _errors6(b, where):
    if len(b) < 40:
        return [f"{where}: IPv6 header cut short"]
    end = 40 + int.from_bytes(b[4:6], "big")
    nh, off = b[6], 40
    while nh in (0, 43, 44, 60) and off + 8 <= len(b):
        if nh == 44:
            if int.from_bytes(b[off + 2:off + 4], "big") != 0:
                return []  # a fragment: the checksum spans them all
            nh, off = b[off], off + 8
        else:
            nh, off = b[off], off + (b[off + 1] + 1) * 8
    if len(b) < end:
        return []
    seg = b[off:end]
    return _l4_errors(nh, seg, _pseudo6(b, nh, len(seg)), where, True)


def checksum_errors(p):
    """Every checksum of p that is wrong, the quoted packet's included."""
    b = raw(p)
    return _errors4(b, "outer") if isinstance(p, IP) else _errors6(b, "outer")


def expect_checksums(p):
    errs = checksum_errors(p)
    expect(not errs, "; ".join(errs))


# ---- running ---------------------------------------------------------------

def main(cases):
    """Run the case named by argv[1] with the rest of argv."""
    name, args = sys.argv[1], sys.argv[2:]
    if name not in cases:
        print(f"unknown case {name}; known: {', '.join(sorted(cases))}")
        sys.exit(2)
    try:
        cases[name](*args)
    except Fail as e:
        print(f"FAIL: {e}")
        sys.exit(1)
    print("ok")
