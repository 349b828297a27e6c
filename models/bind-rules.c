/* bind-rules.c: port-sharing rules, one function per personality, selected
 * through the table `rule_sets` below.
 *
 * Linux (net/ipv4/inet_connection_sock.c, inet_bind_conflict()):
 * for every existing socket sk2 whose address matches (wildcard matches
 * every address, inet_rcv_saddr_equal(..., match_wildcard=true)):
 *
 *   both SO_REUSEADDR   sk2 state    explicit port          autobind (port 0)
 *   ------------------  -----------  ---------------------  -----------------
 *   yes                 not LISTEN   share                  conflict
 *   yes                 LISTEN       conflict unless both   conflict
 *                                    SO_REUSEPORT
 *   no                  any          conflict unless both   conflict
 *                                    SO_REUSEPORT
 *
 * "Both SO_REUSEPORT" also needs the same effective uid unless sk2 is a
 * TIME-WAIT record (sk_reuseport_match / inet_bind_conflict: "sk2->sk_state
 * == TCP_TIME_WAIT || uid_eq(uid, sock_i_uid(sk2))").
 * "Explicit port" is relax=true, reuseport_ok=true; autobind (port 0, and
 * inet_autobind for listen/connect on an unbound socket) is relax=false,
 * reuseport_ok=false, so it never shares (ip_autobind_reuse=0).
 * TIME-WAIT records keep the flags of the socket they came from
 * (inet_twsk_alloc: tw_reuse = sk->sk_reuse), accepted children those of
 * their listener (sock_copy). The state of the *new* socket does not enter
 * the test: listen() re-runs it (inet_csk_listen_start -> get_port) and then
 * fails only against an sk2 that is itself LISTENing or lacks SO_REUSEADDR.
 * UDP (net/ipv4/udp.c udp_lib_lport_inuse()): conflict unless both have
 * SO_REUSEADDR, or both SO_REUSEPORT with the same uid.
 *
 * BSD (4.3; FreeBSD sys/netinet/in_pcb.c in_pcbbind_setup(),
 * XNU bsd/netinet/in_pcb.c in_pcbbind()):
 *   1. a non-root caller is refused a port whose unconnected holder belongs
 *      to another uid (the "same-uid rule");
 *   2. without SO_REUSEADDR/SO_REUSEPORT on the NEW socket the lookup is
 *      INPLOOKUP_WILDCARD: any PCB on the port with a matching address
 *      (wildcard matches all), connected and TIME-WAIT ones included, is a
 *      conflict; with either option only an unconnected PCB at exactly the
 *      same address is found; a found PCB conflicts unless both have
 *      SO_REUSEPORT (TIME-WAIT: tw_so_options, the creator's flags).
 *   So only the new socket's SO_REUSEADDR counts, and a specific address may
 *   sit beside a wildcard listener. Textbook uses the same test; the socket
 *   layer then discards the TIME-WAIT records (tcp_stack_discard_time_wait).
 *
 * Windows (learn.microsoft.com "Sharing Transport Addresses", the
 * WSK table, and "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"): the outcome
 * of a second bind is looked up by (option, wildcard/specific) of both
 * sockets; CHECK means the second bind succeeds only for the same user. The
 * documentation names only SO_EXCLUSIVEADDRUSE as keeping a port while
 * accepted connections linger, so connections and TIME-WAIT records are
 * consulted only when either side uses it (documented behaviour only; the
 * rest of Windows' TIME-WAIT handling is not documented). */
#include "bind-rules.h"

#include <errno.h>

typedef int (*BindCheckFunc) (const BindRequest *req, const BindHolder *holder, GString *why);

/* Linux inet_rcv_saddr_equal (match_wildcard = true); for an AF_INET6
 * socket ipv6_rcv_saddr_equal(): a v4-mapped address is its IPv4 address,
 * and across families only an IPv6 wildcard that is not IPV6_V6ONLY
 * (ipv6_only_sock()) covers IPv4 addresses (RFC 3493 5.3: without
 * IPV6_V6ONLY an AF_INET6 socket also receives IPv4 traffic). FreeBSD
 * in6_pcbbind/in6_pcblookup_local likewise checks the IPv4 PCBs for an
 * IPv6 wildcard without IN6P_IPV6_V6ONLY. */
static gboolean
addresses_match_family (NetAddr a, gboolean a_v6only, NetAddr b, gboolean b_v6only)
{
  a = net_addr_unmapped (a);
  b = net_addr_unmapped (b);
  if (a.family == b.family)
    return net_addr_is_any (a) || net_addr_is_any (b) || net_addr_equal (a, b);
  NetAddr v6 = net_addr_is_ip6 (a) ? a : b;
  gboolean v6only = net_addr_is_ip6 (a) ? a_v6only : b_v6only;
  return net_addr_is_any (v6) && !v6only;
}

static gboolean
addresses_match (const BindRequest *req, const BindHolder *h)
{
  return addresses_match_family (req->local.ip, req->v6only, h->local.ip, h->v6only);
}

static gboolean
same_user (guint a, guint b)
{
  return a == BIND_UID_UNKNOWN || b == BIND_UID_UNKNOWN || a == b;
}

static gboolean
is_connection (const BindHolder *h)
{
  return h->state != TCP_STATE_CLOSED && h->state != TCP_STATE_LISTEN;
}

static void
describe_owner (GString *out, const BindHolder *h)
{
  /* Sockets of a host's own program (no process name) stay "fd N". */
  if (h->owner != NULL)
    g_string_append_printf (out, ", process %s", h->owner);
  if (h->owner != NULL && h->uid != BIND_UID_UNKNOWN)
    g_string_append_printf (out, ", uid %u", h->uid);
}

/* "a TIME-WAIT record of 10.0.0.2:80-10.0.0.1:4000" */
static void
describe_holder (GString *out, const BindHolder *h)
{
  NetFourTuple tuple = { h->local, h->remote };
  if (h->proto == BIND_PROTO_UDP)
    {
      g_string_append_printf (out, "a UDP socket (fd %d", h->fd);
      describe_owner (out, h);
      g_string_append (out, ") on ");
      net_endpoint_append (out, h->local);
      return;
    }
  if (h->kind == BIND_HOLDER_TCB)
    {
      if (h->state == TCP_STATE_TIME_WAIT)
        g_string_append (out, "a TIME-WAIT record of ");
      else
        g_string_append_printf (out, "the %s connection ", tcp_state_name (h->state));
      net_four_tuple_append (out, &tuple);
      return;
    }
  switch (h->state)
    {
    case TCP_STATE_LISTEN:
      g_string_append_printf (out, "a listening socket (fd %d", h->fd);
      describe_owner (out, h);
      g_string_append (out, ") on ");
      net_endpoint_append (out, h->local);
      return;
    case TCP_STATE_CLOSED:
      g_string_append_printf (out, "a bound socket (fd %d", h->fd);
      describe_owner (out, h);
      g_string_append (out, ") on ");
      net_endpoint_append (out, h->local);
      return;
    case TCP_STATE_SYN_SENT:
      g_string_append_printf (out, "a connecting socket (fd %d", h->fd);
      break;
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      g_string_append_printf (out, "a connected socket (fd %d", h->fd);
      break;
    }
  describe_owner (out, h);
  g_string_append (out, ") ");
  net_four_tuple_append (out, &tuple);
}

static void
held_by (GString *why, const BindHolder *h)
{
  g_string_append_printf (why, "port %u is held by ", h->local.port);
  describe_holder (why, h);
}

/* ---- Linux ---------------------------------------------------------------- */

static int
linux_check (const BindRequest *req, const BindHolder *h, GString *why)
{
  if (!addresses_match (req, h))
    return 0;
  gboolean both_reuseaddr = (req->bind_flags & BIND_FLAG_REUSEADDR)
                            && (h->bind_flags & BIND_FLAG_REUSEADDR);
  gboolean flags_reuseport = (req->bind_flags & BIND_FLAG_REUSEPORT)
                             && (h->bind_flags & BIND_FLAG_REUSEPORT);
  /* Linux inet_bind_conflict(): the uid test is waived against TIME-WAIT. */
  gboolean owner_ok = h->state == TCP_STATE_TIME_WAIT || same_user (req->uid, h->uid);
  gboolean both_reuseport = flags_reuseport && owner_ok;
  gboolean conflict;
  if (h->proto == BIND_PROTO_UDP)
    /* Linux udp_lib_lport_inuse(): both sk_reuse, or both reuseport + uid. */
    conflict = req->autobind || !(both_reuseaddr || both_reuseport);
  else
    {
      gboolean relax = !req->autobind;
      gboolean reuseport_ok = !req->autobind;
      if (both_reuseaddr && h->state != TCP_STATE_LISTEN)
        conflict = !relax || (!reuseport_ok && both_reuseport);
      else
        conflict = !(reuseport_ok && both_reuseport);
    }
  if (!conflict)
    return 0;

  held_by (why, h);
  if (req->autobind)
    g_string_append (why, " (a port the stack picks itself is never shared)");
  else if (flags_reuseport && !owner_ok)
    g_string_append_printf (why, " (both set SO_REUSEPORT, but Linux shares a port only "
                                 "between sockets of the same user and this process runs as uid %u)",
                            req->uid);
  else if (h->proto == BIND_PROTO_UDP)
    g_string_append (why, " (UDP shares a port only when both sockets set SO_REUSEADDR "
                          "or both SO_REUSEPORT)");
  else if (h->state == TCP_STATE_LISTEN)
    {
      if (both_reuseaddr)
        g_string_append (why, " (Linux: SO_REUSEADDR never shares with a listener; "
                              "SO_REUSEPORT on both would)");
      else
        g_string_append (why, " (a listener's port is shared only when both sockets set "
                              "SO_REUSEPORT)");
    }
  else if (!(h->bind_flags & BIND_FLAG_REUSEADDR))
    g_string_append (why, " created without SO_REUSEADDR");
  else
    g_string_append (why, " and this socket has no SO_REUSEADDR");
  return EADDRINUSE;
}

/* ---- BSD and textbook ----------------------------------------------------- */

static int
bsd_check (const BindRequest *req, const BindHolder *h, GString *why)
{
  if (!addresses_match (req, h))
    return 0;
  gboolean unconnected = h->proto == BIND_PROTO_UDP || !is_connection (h);
  if (req->autobind)
    {
      /* FreeBSD in_pcb_lport(): INPLOOKUP_WILDCARD, any user of the port. */
      held_by (why, h);
      g_string_append (why, " (a port the stack picks itself is never shared)");
      return EADDRINUSE;
    }
  /* FreeBSD in_pcbbind_setup(): "if (t && ... faddr == INADDR_ANY ... &&
   * inp->inp_cred->cr_uid != t->inp_cred->cr_uid) return (EADDRINUSE)",
   * skipped for root (PRIV_NETINET_REUSEPORT); XNU in_pcbbind(): the same
   * for a non-root uid without SOF_REUSESHAREUID. */
  if (unconnected && req->uid != 0 && !same_user (req->uid, h->uid))
    {
      held_by (why, h);
      g_string_append_printf (why, " which belongs to another user (uid %u): BSD never lets "
                                   "a non-root user (uid %u) share it, whatever the options",
                              h->uid, req->uid);
      return EADDRINUSE;
    }
  gboolean reuse = (req->bind_flags & (BIND_FLAG_REUSEADDR | BIND_FLAG_REUSEPORT)) != 0;
  gboolean found;
  if (!reuse)
    found = TRUE; /* INPLOOKUP_WILDCARD: every PCB of the port */
  else
    found = unconnected && h->state != TCP_STATE_TIME_WAIT && net_addr_equal (req->local.ip, h->local.ip);
  if (!found)
    return 0;
  if ((req->bind_flags & BIND_FLAG_REUSEPORT) && (h->bind_flags & BIND_FLAG_REUSEPORT))
    return 0;
  held_by (why, h);
  if (!reuse)
    {
      if (!net_addr_equal (h->local.ip, req->local.ip))
        g_string_append (why, net_addr_is_any (h->local.ip)
                                ? " whose wildcard address covers this one, and this socket has "
                                  "no SO_REUSEADDR (BSD: with it a more specific address may sit beside)"
                                : " at a specific address the wildcard covers, and this socket has "
                                  "no SO_REUSEADDR");
      else if (h->state == TCP_STATE_TIME_WAIT)
        g_string_append (why, " and this socket has no SO_REUSEADDR (BSD looks only at the new "
                              "socket's flag)");
      else
        g_string_append (why, " and this socket has no SO_REUSEADDR");
    }
  else
    g_string_append (why, " at exactly the same address (SO_REUSEADDR shares only between "
                          "different addresses; SO_REUSEPORT on both would share)");
  return EADDRINUSE;
}

/* ---- Windows -------------------------------------------------------------- */

typedef enum { WIN_OK, WIN_INUSE, WIN_DENIED, WIN_CHECK } WinOutcome;

/* [second option][second specific][first option][first specific]; options
 * 0 none, 1 SO_REUSEADDR, 2 SO_EXCLUSIVEADDRUSE. "Sharing Transport
 * Addresses" (WSK), learn.microsoft.com. */
static const WinOutcome win_table[3][2][3][2] = {
  /* second: none */
  { { { WIN_INUSE, WIN_OK }, { WIN_INUSE, WIN_OK }, { WIN_INUSE, WIN_OK } },          /* wildcard */
    { { WIN_CHECK, WIN_INUSE }, { WIN_CHECK, WIN_DENIED }, { WIN_DENIED, WIN_INUSE } } }, /* specific */
  /* second: SO_REUSEADDR */
  { { { WIN_DENIED, WIN_OK }, { WIN_OK, WIN_OK }, { WIN_DENIED, WIN_OK } },
    { { WIN_CHECK, WIN_DENIED }, { WIN_OK, WIN_OK }, { WIN_DENIED, WIN_DENIED } } },
  /* second: SO_EXCLUSIVEADDRUSE */
  { { { WIN_INUSE, WIN_INUSE }, { WIN_INUSE, WIN_INUSE }, { WIN_INUSE, WIN_INUSE } },
    { { WIN_CHECK, WIN_INUSE }, { WIN_CHECK, WIN_INUSE }, { WIN_DENIED, WIN_INUSE } } },
};

static guint
win_option (guint flags)
{
  if (flags & BIND_FLAG_EXCLUSIVE)
    return 2;
  return (flags & BIND_FLAG_REUSEADDR) ? 1 : 0;
}

static const char *
win_option_name (guint option)
{
  static const char *const names[] = { "no option", "SO_REUSEADDR", "SO_EXCLUSIVEADDRUSE" };
  return names[option];
}

static int
windows_check (const BindRequest *req, const BindHolder *h, GString *why)
{
  if (!addresses_match (req, h))
    return 0;
  if (req->autobind)
    {
      held_by (why, h);
      g_string_append (why, " (a port the stack picks itself is never shared)");
      return EADDRINUSE;
    }
  guint second = win_option (req->bind_flags), first = win_option (h->bind_flags);
  if (h->proto == BIND_PROTO_TCP && is_connection (h) && second != 2 && first != 2)
    return 0; /* only SO_EXCLUSIVEADDRUSE keeps a port for its connections */
  if (h->proto == BIND_PROTO_TCP && is_connection (h) && first == 2)
    {
      /* "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE": the port of an
       * exclusive listener stays taken while its accepted connection is
       * still active. */
      held_by (why, h);
      g_string_append (why, ", a connection of a SO_EXCLUSIVEADDRUSE socket (Windows keeps "
                            "the port until it is no longer active)");
      return EADDRINUSE;
    }
  WinOutcome o = win_table[second][!net_addr_is_any (req->local.ip)][first][!net_addr_is_any (h->local.ip)];
  if (o == WIN_CHECK)
    o = same_user (req->uid, h->uid) ? WIN_OK : WIN_DENIED;
  if (o == WIN_OK)
    return 0;
  held_by (why, h);
  g_string_append_printf (why, " bound with %s; a %s bind with %s is %s (Windows "
                               "\"Sharing Transport Addresses\" table)",
                          win_option_name (first),
                          net_addr_is_any (req->local.ip) ? "wildcard" : "specific",
                          win_option_name (second),
                          o == WIN_DENIED ? "denied (WSAEACCES)" : "in use (WSAEADDRINUSE)");
  return o == WIN_DENIED ? EACCES : EADDRINUSE;
}

static const struct {
  BindRuleSet rules;
  const char *name;
  BindCheckFunc check;
} rule_sets[] = {
  { BIND_RULES_LINUX, "linux", linux_check },
  { BIND_RULES_BSD, "bsd", bsd_check },
  { BIND_RULES_WINDOWS, "windows", windows_check },
  { BIND_RULES_TEXTBOOK, "textbook", bsd_check },
};

const char *
bind_rule_set_name (BindRuleSet rules)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rule_sets); i++)
    if (rule_sets[i].rules == rules)
      return rule_sets[i].name;
  return "?";
}

gboolean
bind_rule_set_from_name (const char *name, BindRuleSet *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rule_sets); i++)
    if (g_strcmp0 (rule_sets[i].name, name) == 0)
      {
        *out = rule_sets[i].rules;
        return TRUE;
      }
  return FALSE;
}

const char *
bind_rule_set_names (void)
{
  return "linux, bsd, windows, textbook";
}

int
bind_rules_check (BindRuleSet rules, const BindRequest *req, const BindHolder *holder,
                  char **reason)
{
  if (req->proto != holder->proto)
    return 0; /* TCP and UDP ports are separate name spaces */
  for (gsize i = 0; i < G_N_ELEMENTS (rule_sets); i++)
    {
      if (rule_sets[i].rules != rules)
        continue;
      GString *why = g_string_new (NULL);
      int err = rule_sets[i].check (req, holder, why);
      if (err != 0 && req->local.ip.family != holder->local.ip.family)
        g_string_append (why, "; a [::] socket without IPV6_V6ONLY also holds the IPv4 "
                              "port (RFC 3493 5.3)");
      if (err != 0 && reason != NULL)
        *reason = g_string_free (why, FALSE);
      else
        g_string_free (why, TRUE);
      return err;
    }
  g_return_val_if_reached (0);
}

gboolean
bind_rules_conflict (BindRuleSet rules, const BindRequest *req, const BindHolder *holder,
                     char **reason)
{
  return bind_rules_check (rules, req, holder, reason) != 0;
}
