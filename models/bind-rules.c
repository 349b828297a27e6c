/* bind-rules.c: port-sharing rules, one function per personality, selected
 * through the table `rule_sets` below.
 *
 * Linux (facts 4.1; net/ipv4/inet_connection_sock.c, inet_bind_conflict()):
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
 * "Explicit port" is relax=true, reuseport_ok=true; autobind (port 0, and
 * inet_autobind for listen/connect on an unbound socket) is relax=false,
 * reuseport_ok=false, so it never shares (ip_autobind_reuse=0).
 * SO_REUSEPORT also requires the same effective uid unless sk2 is TIME-WAIT;
 * there are no users yet, so every socket has the same uid.
 * TIME-WAIT records keep the flags of the socket they came from
 * (inet_twsk_alloc: tw_reuse = sk->sk_reuse), accepted children those of
 * their listener (sock_copy). The state of the *new* socket does not enter
 * the test: listen() re-runs it (inet_csk_listen_start -> get_port) and then
 * fails only against an sk2 that is itself LISTENing or lacks SO_REUSEADDR. */
#include "bind-rules.h"

typedef gboolean (*BindConflictFunc) (const BindRequest *req, const BindHolder *holder,
                                      GString *why);

static gboolean
addresses_match (guint32 a, guint32 b)
{
  /* inet_rcv_saddr_equal (match_wildcard = true) */
  return a == NET_IP4_ANY || b == NET_IP4_ANY || a == b;
}

/* "a TIME-WAIT record of 10.0.0.2:80-10.0.0.1:4000" */
static void
describe_holder (GString *out, const BindHolder *h)
{
  NetFourTuple tuple = { h->local, h->remote };
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
      g_string_append_printf (out, "a listening socket (fd %d) on ", h->fd);
      net_endpoint_append (out, h->local);
      return;
    case TCP_STATE_CLOSED:
      g_string_append_printf (out, "a bound socket (fd %d) on ", h->fd);
      net_endpoint_append (out, h->local);
      return;
    case TCP_STATE_SYN_SENT:
      g_string_append_printf (out, "a connecting socket (fd %d) ", h->fd);
      break;
    case TCP_STATE_SYN_RECEIVED:
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      g_string_append_printf (out, "a connected socket (fd %d) ", h->fd);
      break;
    }
  net_four_tuple_append (out, &tuple);
}

static gboolean
linux_conflict (const BindRequest *req, const BindHolder *h, GString *why)
{
  if (!addresses_match (req->local.ip, h->local.ip))
    return FALSE;
  gboolean relax = !req->autobind;
  gboolean reuseport_ok = !req->autobind;
  gboolean both_reuseaddr = (req->bind_flags & BIND_FLAG_REUSEADDR)
                            && (h->bind_flags & BIND_FLAG_REUSEADDR);
  /* Same uid always holds (no users modelled); TIME-WAIT waives it anyway. */
  gboolean both_reuseport = (req->bind_flags & BIND_FLAG_REUSEPORT)
                            && (h->bind_flags & BIND_FLAG_REUSEPORT);
  gboolean conflict;
  if (both_reuseaddr && h->state != TCP_STATE_LISTEN)
    conflict = !relax || (!reuseport_ok && both_reuseport);
  else
    conflict = !(reuseport_ok && both_reuseport);
  if (!conflict)
    return FALSE;

  g_string_append_printf (why, "port %u is held by ", h->local.port);
  describe_holder (why, h);
  if (req->autobind)
    g_string_append (why, " (a port the stack picks itself is never shared)");
  else if (h->state == TCP_STATE_LISTEN)
    {
      if (both_reuseaddr)
        g_string_append (why, " (SO_REUSEADDR never shares with a listener; SO_REUSEPORT on both would)");
    }
  else if (!(h->bind_flags & BIND_FLAG_REUSEADDR))
    g_string_append (why, " created without SO_REUSEADDR");
  else
    g_string_append (why, " and this socket has no SO_REUSEADDR");
  return TRUE;
}

static const struct {
  BindRuleSet rules;
  const char *name;
  BindConflictFunc conflict;
} rule_sets[] = {
  { BIND_RULES_LINUX, "linux", linux_conflict },
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
bind_rules_conflict (BindRuleSet rules, const BindRequest *req,
                     const BindHolder *holder, char **reason)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rule_sets); i++)
    {
      if (rule_sets[i].rules != rules)
        continue;
      GString *why = g_string_new (NULL);
      gboolean conflict = rule_sets[i].conflict (req, holder, why);
      if (conflict && reason != NULL)
        *reason = g_string_free (why, FALSE);
      else
        g_string_free (why, TRUE);
      return conflict;
    }
  g_return_val_if_reached (FALSE);
}
