#!/usr/bin/env python3
"""netns-capture.py: real Linux TCP traffic captured in network namespaces,
for test-analyze-netns (root only).

  netns-capture.py CASE OUT.pcap     run CASE, write what tcpdump saw

CASE is one of
  reuseaddr-restart     the server closes first (TIME-WAIT on the server),
                        restarts with SO_REUSEADDR, the client reconnects
                        from the same port
  no-reuseaddr-restart  the same, but the restarted server does not set
                        SO_REUSEADDR: its bind fails, the client's SYN meets
                        the TIME-WAIT alone
  client-port-reuse     the client closes first (TIME-WAIT on the client)
                        and reconnects from the same port with
                        net.ipv4.tcp_tw_reuse=1, tcp_tw_reuse_delay=1 ms
  CASE-ipv6             any of them over IPv6 (fd77::1 and fd77::2),
                        captured on "any" (Linux cooked headers)

Two namespaces joined by a veth pair, 10.77.0.1 (client) and 10.77.0.2
(server); tcpdump runs in the client's namespace. Every step waits on a
process or a line it prints, never on a timer. Prints one line per event
("server1 ready", "client2 connect: errno 99", ...) on stdout.
"""
import errno
import os
import signal
import socket
import subprocess
import sys

PORT, CPORT = 8080, 40000
ADDRS = {"4": ("10.77.0.1", "10.77.0.2", socket.AF_INET, "/24"),
         "6": ("fd77::1", "fd77::2", socket.AF_INET6, "/64")}
CLIENT, SERVER, FAMILY, PREFIX = ADDRS["4"]


def use_family(v):
    global CLIENT, SERVER, FAMILY, PREFIX
    CLIENT, SERVER, FAMILY, PREFIX = ADDRS[v]


def sh(*args):
    subprocess.run(args, check=True)


def in_ns(ns, *args, **kw):
    return subprocess.Popen(("ip", "netns", "exec", ns) + args, **kw)


def serve(reuseaddr, closes_first):
    """One connection: read the request, answer, close (first if asked)."""
    s = socket.socket(FAMILY)
    if reuseaddr:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((SERVER, PORT))
    except OSError as e:
        print(f"bind: errno {e.errno}", flush=True)
        return
    s.listen(1)
    print("ready", flush=True)
    c, _ = s.accept()
    req = c.recv(100)
    c.sendall(b"reply to " + req)
    if not closes_first:
        while c.recv(100):
            pass
    c.close()
    s.close()
    print("done", flush=True)


def client(tag, closes_first):
    """Connect from CPORT, send a request, read the reply, close."""
    for attempt in range(100000):
        s = socket.socket(FAMILY)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((CLIENT, CPORT))
        try:
            s.connect((SERVER, PORT))
            break
        except OSError as e:
            s.close()
            # tcp_tw_reuse waits tcp_tw_reuse_delay after TIME-WAIT began:
            # try again (a condition, not a timer).
            if e.errno == errno.EADDRNOTAVAIL and tag == "retry":
                continue
            print(f"connect: errno {e.errno}", flush=True)
            return
    s.sendall(b"request")
    reply = s.recv(100)
    if closes_first:
        s.shutdown(socket.SHUT_WR)
    while s.recv(100):
        pass
    s.close()
    print(f"reply {reply.decode()!r}", flush=True)


def run_role(role, args):
    use_family(args[2])
    if role == "server":
        serve(args[0] == "reuseaddr", args[1] == "first")
    else:
        client(args[0], args[1] == "first")


def wait_line(proc, want):
    for line in proc.stdout:
        line = line.strip()
        print(line, flush=True)
        if line.startswith(want) or line.startswith("bind:"):
            return line
    return ""


def story(case, nsa, nsb, v):
    me = os.path.abspath(__file__)
    server_closes = case != "client-port-reuse"
    first = "first" if server_closes else "second"
    cfirst = "second" if server_closes else "first"
    for n, reuse in (("1", "reuseaddr"), ("2", "plain" if case == "no-reuseaddr-restart" else "reuseaddr")):
        srv = in_ns(nsb, sys.executable, me, "--role", "server", reuse, first, v,
                    stdout=subprocess.PIPE, text=True)
        ready = wait_line(srv, "ready")
        print(f"server{n} {ready}", flush=True)
        tag = "retry" if case == "client-port-reuse" and n == "2" else "once"
        cli = in_ns(nsa, sys.executable, me, "--role", "client", tag, cfirst, v,
                    stdout=subprocess.PIPE, text=True)
        for line in cli.stdout:
            print(f"client{n} {line.strip()}", flush=True)
        cli.wait()
        if ready == "ready" and n == "2" and case == "no-reuseaddr-restart":
            srv.kill()
        for line in srv.stdout:
            print(f"server{n} {line.strip()}", flush=True)
        srv.wait()


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--role":
        run_role(sys.argv[2], sys.argv[3:])
        return 0
    case, out = sys.argv[1], os.path.abspath(sys.argv[2])
    v = "6" if case.endswith("-ipv6") else "4"
    case = case.removesuffix("-ipv6")
    use_family(v)
    tag = f"{os.getpid()}"
    nsa, nsb = f"twsim-a{tag}", f"twsim-b{tag}"
    try:
        sh("ip", "netns", "add", nsa)
        sh("ip", "netns", "add", nsb)
        sh("ip", "link", "add", f"tw{tag}a", "netns", nsa, "type", "veth", "peer",
           "name", f"tw{tag}b", "netns", nsb)
        nodad = ("nodad",) if v == "6" else ()
        sh("ip", "-n", nsa, "addr", "add", CLIENT + PREFIX, "dev", f"tw{tag}a", *nodad)
        sh("ip", "-n", nsb, "addr", "add", SERVER + PREFIX, "dev", f"tw{tag}b", *nodad)
        for ns, dev in ((nsa, f"tw{tag}a"), (nsb, f"tw{tag}b")):
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        if case == "client-port-reuse":
            sh("ip", "netns", "exec", nsa, "sysctl", "-q", "-w", "net.ipv4.tcp_tw_reuse=1")
            sh("ip", "netns", "exec", nsa, "sysctl", "-q", "-w", "net.ipv4.tcp_tw_reuse_delay=1")
        # Over IPv6 capture on "any": Linux cooked (SLL2) headers.
        dev = "any" if v == "6" else f"tw{tag}a"
        dump = in_ns(nsa, "tcpdump", "-i", dev, "-n", "-U", "--immediate-mode",
                     "-w", out, "tcp", stderr=subprocess.PIPE, text=True)
        for line in dump.stderr:
            if "listening on" in line:
                break
        story(case, nsa, nsb, v)
        dump.send_signal(signal.SIGINT)
        dump.wait()
        print("captured", flush=True)
    finally:
        subprocess.run(("ip", "netns", "del", nsa), stderr=subprocess.DEVNULL)
        subprocess.run(("ip", "netns", "del", nsb), stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
