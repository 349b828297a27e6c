// ns3-churn.cc: the churn benchmark workload (issue 6) in ns-3 (Debian's
// ns3 3.37), the same as tests/bench/twsim-churn.c:
//
// a client node and a server node on a 100 Mbit/s point-to-point link with
// 1 ms of delay; the client opens N connections, one every 1 ms; each sends
// 1000 bytes and closes; the server reads and closes at EOF; every
// connection ends with the client in TIME-WAIT; MaxSegLifetime = 2 s (--msl);
// the run lasts until every TIME-WAIT socket has closed.
//
// To compare like with like, TCP is set up as twsim's default (rfc9293)
// host: MSS 1460 (1000 bytes = one segment), no timestamps, no SACK, no
// window scaling, every segment ACKed at once (DelAckCount 1), RTO 1 s.
// Segments are counted at both point-to-point devices (MacTx: every segment
// either node sends). Prints one key=value line like twsim-churn.
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace ns3;

namespace
{

const uint32_t kBytes = 1000;

struct Churn
{
    uint64_t n = 1000;
    uint64_t opened = 0;
    uint64_t bytesReceived = 0;
    uint64_t segments = 0;
    uint64_t timeWaitEntered = 0;
    uint64_t timeWaitLeft = 0;
    uint64_t serverClosed = 0;
    uint64_t failures = 0;
    uint64_t liveTimeWaits = 0;
    uint64_t peakTimeWaits = 0;
    uint64_t probeTimeWaits = 0;
    long rssStartKb = 0;
    long rssProbeKb = 0;
    Ptr<Node> client;
    Address serverAddress;
};

Churn g;

long
RssNowKb()
{
    FILE* f = std::fopen("/proc/self/statm", "r");
    long size = 0;
    long resident = 0;
    if (f == nullptr)
    {
        return 0;
    }
    if (std::fscanf(f, "%ld %ld", &size, &resident) != 2)
    {
        resident = 0;
    }
    std::fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

void
CountSegment(Ptr<const Packet>)
{
    g.segments++;
}

void
ClientState(TcpSocket::TcpStates_t from, TcpSocket::TcpStates_t to)
{
    if (to == TcpSocket::TIME_WAIT)
    {
        g.timeWaitEntered++;
        g.liveTimeWaits++;
        if (g.liveTimeWaits > g.peakTimeWaits)
        {
            g.peakTimeWaits = g.liveTimeWaits;
        }
        if (g.timeWaitEntered == g.n)
        {
            g.rssProbeKb = RssNowKb();
            g.probeTimeWaits = g.liveTimeWaits;
        }
    }
    else if (from == TcpSocket::TIME_WAIT)
    {
        g.timeWaitLeft++;
        g.liveTimeWaits--;
    }
}

void
ClientConnected(Ptr<Socket> s)
{
    Ptr<Packet> p = Create<Packet>(kBytes);
    if (s->Send(p) != static_cast<int>(kBytes))
    {
        g.failures++;
    }
    s->Close();
}

void
ClientFailed(Ptr<Socket>)
{
    g.failures++;
}

void
OpenNext()
{
    g.opened++;
    Ptr<Socket> s = Socket::CreateSocket(g.client, TcpSocketFactory::GetTypeId());
    s->TraceConnectWithoutContext("State", MakeCallback(&ClientState));
    s->Bind();
    s->SetConnectCallback(MakeCallback(&ClientConnected), MakeCallback(&ClientFailed));
    s->Connect(g.serverAddress);
    if (g.opened < g.n)
    {
        Simulator::Schedule(MilliSeconds(1), &OpenNext);
    }
}

void
ServerRead(Ptr<Socket> s)
{
    Ptr<Packet> p;
    while ((p = s->Recv()) != nullptr && p->GetSize() > 0)
    {
        g.bytesReceived += p->GetSize();
    }
}

void
ServerClose(Ptr<Socket> s)
{
    g.serverClosed++;
    s->Close();
}

// NormalClose fires in DoPeerClose (the peer's FIN, CLOSE-WAIT) before the
// ACK of the FIN goes out; close once that is done: read(EOF) then close().
void
ServerPeerClosed(Ptr<Socket> s)
{
    ServerRead(s);
    Simulator::ScheduleNow(&ServerClose, s);
}

void
ServerError(Ptr<Socket>)
{
    g.failures++;
}

void
ServerAccept(Ptr<Socket> s, const Address&)
{
    s->SetRecvCallback(MakeCallback(&ServerRead));
    s->SetCloseCallbacks(MakeCallback(&ServerPeerClosed), MakeCallback(&ServerError));
}

bool
ServerAcceptRequest(Ptr<Socket>, const Address&)
{
    return true;
}

} // namespace

int
main(int argc, char* argv[])
{
    double msl = 2.0;
    CommandLine cmd;
    cmd.AddValue("n", "connections", g.n);
    cmd.AddValue("msl", "MaxSegLifetime in seconds", msl);
    cmd.Parse(argc, argv);

    Config::SetDefault("ns3::TcpSocketBase::MaxSegLifetime", DoubleValue(msl));
    Config::SetDefault("ns3::TcpSocketBase::Timestamp", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::Sack", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::WindowScaling", BooleanValue(false));
    Config::SetDefault("ns3::TcpSocketBase::MinRto", TimeValue(Seconds(1)));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1460));
    Config::SetDefault("ns3::TcpSocket::DelAckCount", UintegerValue(1));
    Config::SetDefault("ns3::TcpSocket::InitialCwnd", UintegerValue(10));

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer devices = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = addresses.Assign(devices);

    for (uint32_t i = 0; i < devices.GetN(); i++)
    {
        devices.Get(i)->TraceConnectWithoutContext("MacTx", MakeCallback(&CountSegment));
    }

    g.client = nodes.Get(0);
    g.serverAddress = InetSocketAddress(ifaces.GetAddress(1), 80);
    Ptr<Socket> listener = Socket::CreateSocket(nodes.Get(1), TcpSocketFactory::GetTypeId());
    listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), 80));
    listener->Listen();
    listener->SetAcceptCallback(MakeCallback(&ServerAcceptRequest), MakeCallback(&ServerAccept));

    Simulator::Schedule(Seconds(0), &OpenNext);

    g.rssStartKb = RssNowKb();
    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t events = Simulator::GetEventCount();
    double endS = Simulator::Now().GetSeconds();
    Simulator::Destroy();

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    bool ok = g.failures == 0 && g.bytesReceived == g.n * kBytes && g.timeWaitEntered == g.n &&
              g.timeWaitLeft == g.n && g.serverClosed == g.n;
    double twBytes = g.probeTimeWaits > 0 ? double(g.rssProbeKb - g.rssStartKb) * 1024.0 /
                                                double(g.probeTimeWaits)
                                          : 0.0;
    std::printf("prog=ns3 n=%llu msl=%g wall=%.6f events=%llu segments=%llu bytes=%llu "
                "time_wait_entered=%llu time_wait_left=%llu peak_time_waits=%llu "
                "probe_time_waits=%llu rss_start_kb=%ld rss_probe_kb=%ld tw_bytes=%.1f "
                "maxrss_kb=%ld end_s=%.3f ok=%d\n",
                (unsigned long long)g.n, msl, wall, (unsigned long long)events,
                (unsigned long long)g.segments, (unsigned long long)g.bytesReceived,
                (unsigned long long)g.timeWaitEntered,
                (unsigned long long)(g.timeWaitEntered - g.timeWaitLeft),
                (unsigned long long)g.peakTimeWaits, (unsigned long long)g.probeTimeWaits,
                g.rssStartKb, g.rssProbeKb, twBytes, ru.ru_maxrss, endS, ok ? 1 : 0);
    if (!ok)
    {
        std::fprintf(stderr,
                     "ns3-churn: FAILED: failures=%llu bytes=%llu time_wait=%llu/%llu "
                     "server_closed=%llu\n",
                     (unsigned long long)g.failures, (unsigned long long)g.bytesReceived,
                     (unsigned long long)g.timeWaitEntered, (unsigned long long)g.timeWaitLeft,
                     (unsigned long long)g.serverClosed);
    }
    return ok ? 0 : 1;
}
