/* socket.c: the BSD socket API of one host, Linux flavour, on top of the
 * TCP model (tcp.h).
 *
 * Every call is a Call record. It completes through its SockDoneFunc: at
 * once when it need not wait, or later from a "kick" of its socket. TCP
 * callbacks never complete calls directly; they only record what happened
 * (error, release) and schedule a kick at the same virtual instant, so that
 * user code run from a SockDoneFunc never re-enters the TCP model while it
 * is processing a segment.
 *
 * Sockets are never freed before the host: after close() they stay as
 * zombies (fd = -1) so that sock_conn_id() still answers, and a TCP
 * callback arriving late finds valid memory.
 *
 * Ownership of a SockResult: everything in it is borrowed for the duration
 * of the SockDoneFunc; ref `data` / `spans` to keep them. */
#include "net-internal.h"
#include "bind-rules.h"
#include "sim-text.h"

#include <errno.h>
#include <string.h>

/* The ephemeral range comes from SockConfig (Linux ip_local_port_range
 * 32768-60999 by default). Linux starts at a random offset; we walk from a
 * per-host cursor instead, so that runs are reproducible.
 *
 * What close() with SO_LINGER on and N > 0 does when N seconds pass before
 * everything is acknowledged is SockConfig.linger_timeout: Linux
 * __tcp_close() just returns from sk_stream_wait_close() and orphans the
 * socket (close() returns 0, the FIN keeps being retransmitted, no RST);
 * Bernat and UNP 7.5 describe timeout -> RST. */

typedef enum {
  SOCK_NEW,        /* socket() */
  SOCK_BOUND,      /* bind(), or autobound */
  SOCK_LISTENING,
  SOCK_CONNECTING, /* SYN-SENT */
  SOCK_CONNECTED,  /* reached ESTABLISHED (the TCB may be gone since: conn_gone) */
  SOCK_CLOSED,     /* close() was called; a zombie */
} SockPhase;

typedef enum {
  CALL_SOCKET,
  CALL_SETSOCKOPT,
  CALL_SET_LINGER,
  CALL_BIND,
  CALL_LISTEN,
  CALL_ACCEPT,
  CALL_CONNECT,
  CALL_WRITE,
  CALL_READ,
  CALL_SHUTDOWN,
  CALL_CLOSE,
  CALL_FCNTL,
  CALL_GETSOCKOPT,
} CallKind;

static const char *const call_names[] = {
  [CALL_SOCKET] = "socket",     [CALL_SETSOCKOPT] = "setsockopt",
  [CALL_SET_LINGER] = "setsockopt", [CALL_BIND] = "bind",
  [CALL_LISTEN] = "listen",     [CALL_ACCEPT] = "accept",
  [CALL_CONNECT] = "connect",   [CALL_WRITE] = "write",
  [CALL_READ] = "read",         [CALL_SHUTDOWN] = "shutdown",
  [CALL_CLOSE] = "close",       [CALL_FCNTL] = "fcntl",
  [CALL_GETSOCKOPT] = "getsockopt",
};

typedef struct _Sock Sock;

/* Linux net.core.somaxconn default since 5.4 (SOMAXCONN): listen()'s cap. */
#define SOCK_LINUX_SOMAXCONN 4096u

struct _Sock {
  SockTable *table;
  guint64 id;             /* 1, 2, ... per host */
  int fd;                 /* -1 once closed */
  SockPhase phase;
  gboolean bound;
  gboolean autobound;     /* the stack chose the port (no SOCK_BINDPORT_LOCK) */
  NetEndpoint local;      /* as bound; ip may be the wildcard */
  gboolean has_tuple;
  NetFourTuple tuple;     /* connecting/connected: the connection's 4-tuple */
  gboolean reuseaddr, reuseport, keepalive, nodelay, exclusive;
  SockType type;
  NetFamily family;       /* AF_INET until bound or connected to an IPv6
                             address or given IPV6_V6ONLY (the family is
                             inferred, see scenarios/README.md) */
  gboolean family_fixed;  /* bind(), connect() or IPV6_V6ONLY chose it */
  gboolean v6only_set;    /* IPV6_V6ONLY was set; else the personality's */
  gboolean v6only;
  guint pid;              /* owning process (SockProcess index) */
  gboolean linger_on;
  int linger_seconds;
  gboolean nonblock;      /* O_NONBLOCK (fcntl F_SETFL) */

  TcpConn *conn;          /* valid until `released` or until we orphan it */
  TcpListener *listener;  /* valid until we close it */
  guint64 conn_id;        /* the TcpConn/TcpListener this socket has or last had */
  gboolean conn_gone;     /* the TCB was released (or handed back on close) */
  gboolean shut_rd, shut_wr;
  int so_error;           /* pending error (errno), reported once; 0 = none */
  GByteArray *salvaged;   /* bytes still unread when the TCB went away */
  GArray *salvaged_spans; /* their TcpByteSpan */

  GQueue udp_rx;          /* UDP: received datagrams (GBytes *), oldest first */
  GQueue pending;         /* Call *, blocked calls in arrival order */
  SimEventId kick;
  gboolean progressing;
  gboolean reprogress;
};

struct _SockTable {
  Host *host;
  GPtrArray *socks;       /* Sock *, owned; index = id - 1 */
  GPtrArray *fds;         /* fd -> Sock * (NULL = free) */
  guint port_cursor;      /* next ephemeral port to try */
  BindRuleSet rules;      /* config.bind_rules */
  SockConfig config;
  GPtrArray *processes;   /* SockProcess *, index = pid */
};

typedef struct {
  char *name;
  guint uid;
  gboolean exited;
} SockProcess;

typedef struct {
  SockTable *table;
  Sock *sock;             /* NULL when the fd was bad */
  CallKind kind;
  int fd;
  char *args;
  SockDoneFunc done;
  gpointer user;
  gboolean blocked;
  SimTime blocked_since;
  /* per call */
  gsize max;              /* read */
  GBytes *wdata;          /* write: the bytes, or NULL for filler */
  gsize wlen;             /* write: how many bytes */
  gsize written;
  SimEventId timer;       /* close with SO_LINGER */
  gboolean timed_out;
  /* result */
  int value;              /* getsockopt: the option's value */
  gint64 ret;
  int err;
  char *why;
  guint64 new_sock_id;
  GBytes *rdata;
  GArray *spans;
} Call;

static void sock_progress (Sock *s);

/* ---- helpers ------------------------------------------------------------ */

static SimEngine *
table_engine (SockTable *t)
{
  return t->host->network->engine;
}

static Sock *
lookup_fd (SockTable *t, int fd)
{
  if (fd < 0 || (guint) fd >= t->fds->len)
    return NULL;
  return g_ptr_array_index (t->fds, fd);
}

/* RFC 3493 5.3: IPV6_V6ONLY, "by default ... turned off" there; the
 * default is the personality's (Linux net.ipv6.bindv6only, FreeBSD
 * net.inet6.ip6.v6only). Meaningless for an IPv4 socket. */
static gboolean
sock_v6only (const Sock *s)
{
  if (s->family != NET_FAMILY_IPV6)
    return FALSE;
  return s->v6only_set ? s->v6only : s->table->config.bindv6only;
}

static guint
sock_bind_flags (const Sock *s)
{
  return (s->reuseaddr ? BIND_FLAG_REUSEADDR : 0) | (s->reuseport ? BIND_FLAG_REUSEPORT : 0)
         | (s->exclusive ? BIND_FLAG_EXCLUSIVE : 0);
}

static int
tcp_error_errno (TcpError error)
{
  switch (error)
    {
    case TCP_ERROR_REFUSED:
      return ECONNREFUSED;
    case TCP_ERROR_RESET:
      return ECONNRESET;
    case TCP_ERROR_TIMEOUT:
      return ETIMEDOUT;
    case TCP_ERROR_ABORTED:
      return ECONNABORTED;
    case TCP_ERROR_NONE:
      return 0;
    }
  return 0;
}

static const char *
errno_why (int err)
{
  switch (err)
    {
    case ECONNREFUSED:
      return "the peer answered the SYN with RST: nothing listens there";
    case ECONNRESET:
      return "the connection was reset (RST)";
    case ETIMEDOUT:
      return "retransmissions exhausted: no answer from the peer";
    case ECONNABORTED:
      return "the connection was aborted";
    default:
      return NULL;
    }
}

static void
append_duration (GString *out, SimTime d)
{
  if (d != 0 && d % SIM_S == 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "s", d / SIM_S);
  else if (d != 0 && d % SIM_MS == 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "ms", d / SIM_MS);
  else if (d != 0 && d % SIM_US == 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "us", d / SIM_US);
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT "ns", d);
}

/* "#1:0-10,#2:0-5": incarnation and sender stream offsets [start-end) of
 * each run of bytes; adjacent spans of one sender are merged. */
static void
append_spans (GString *out, GArray *spans)
{
  for (guint i = 0; spans != NULL && i < spans->len;)
    {
      const TcpByteSpan *first = &g_array_index (spans, TcpByteSpan, i);
      guint64 end = first->stream_offset + first->length;
      guint j = i + 1;
      for (; j < spans->len; j++)
        {
          const TcpByteSpan *next = &g_array_index (spans, TcpByteSpan, j);
          if (next->conn_id != first->conn_id || next->incarnation != first->incarnation
              || next->stream_offset != end)
            break;
          end += next->length;
        }
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "#%u:%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT,
                              first->incarnation, first->stream_offset, end);
      i = j;
    }
}

/* ---- calls -------------------------------------------------------------- */

static Call *
call_new (SockTable *t, CallKind kind, int fd, SockDoneFunc done, gpointer user,
          const char *args_format, ...) G_GNUC_PRINTF (6, 7);

/* Does a sink read a call's arguments as text? */
static gboolean
call_args_traced (SockTable *t)
{
  SimTrace *trace = sim_engine_trace (table_engine (t));
  return sim_trace_reads_fields (trace, "sock.call") || sim_trace_reads_fields (trace, "sock.block")
         || sim_trace_reads_fields (trace, "sock.crash");
}

static Call *
call_new (SockTable *t, CallKind kind, int fd, SockDoneFunc done, gpointer user,
          const char *args_format, ...)
{
  Call *c = g_new0 (Call, 1);
  c->table = t;
  c->kind = kind;
  c->fd = fd;
  c->done = done;
  c->user = user;
  c->sock = lookup_fd (t, fd);
  /* The arguments as text are for the trace only (sock.call, sock.block,
   * the calls a crash discards): NULL when no sink reads those. */
  if (call_args_traced (t))
    {
      va_list ap;
      va_start (ap, args_format);
      c->args = g_strdup_vprintf (args_format, ap);
      va_end (ap);
    }
  return c;
}

static void
call_ok (Call *c, gint64 ret)
{
  c->ret = ret;
  c->err = 0;
}

static void
call_fail (Call *c, int err, const char *why_format, ...) G_GNUC_PRINTF (3, 4);

static void
call_fail (Call *c, int err, const char *why_format, ...)
{
  c->ret = -1;
  c->err = err;
  g_free (c->why);
  c->why = NULL;
  if (why_format != NULL)
    {
      va_list ap;
      va_start (ap, why_format);
      c->why = g_strdup_vprintf (why_format, ap);
      va_end (ap);
    }
}

static void
call_note (Call *c, char *why)
{
  g_free (c->why);
  c->why = why;
}

static void
call_free (Call *c)
{
  if (c->timer.slot != 0)
    sim_engine_cancel_clear (table_engine (c->table), &c->timer);
  g_free (c->args);
  g_free (c->why);
  if (c->wdata != NULL)
    g_bytes_unref (c->wdata);
  if (c->rdata != NULL)
    g_bytes_unref (c->rdata);
  if (c->spans != NULL)
    g_array_unref (c->spans);
  g_free (c);
}

static void
trace_common (SimTraceEvent *ev, Call *c)
{
  guint64 sock_id = c->sock != NULL ? c->sock->id : 0;
  if (c->kind == CALL_SOCKET)
    sock_id = c->new_sock_id;
  sim_trace_field_int (ev, "sock", (gint64) sock_id);
  sim_trace_field_int (ev, "fd", c->kind == CALL_SOCKET ? c->ret : c->fd);
  sim_trace_field_str (ev, "call", call_names[c->kind]);
  sim_trace_field_str (ev, "args", c->args);
}

/* Publishes "sock.call", hands the result over and frees the call. */
static void
call_complete (Call *c)
{
  SockTable *t = c->table;
  SimEngine *engine = table_engine (t);
  SimTrace *trace = sim_engine_trace (engine);
  SimTime now = sim_engine_now (engine);

  if (sim_trace_wants (trace, "sock.call"))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, now, "sock.call", t->host->name);
      trace_common (ev, c);
      sim_trace_field_int (ev, "ret", c->ret);
      sim_trace_field_str (ev, "errno", c->err != 0 ? sock_errno_name (c->err) : "");
      sim_trace_field_str (ev, "why", c->why != NULL ? c->why : "");
      if (c->blocked)
        sim_trace_field_int (ev, "blocked_since", c->blocked_since);
      if (c->new_sock_id != 0 && c->kind == CALL_ACCEPT)
        sim_trace_field_int (ev, "new_sock", (gint64) c->new_sock_id);
      GString *data = NULL;
      if (c->kind == CALL_READ && sim_trace_needs_fields (ev))
        {
          gsize len = c->rdata != NULL ? g_bytes_get_size (c->rdata) : 0;
          /* Room for the bytes as they are (filler data is plain text). */
          data = g_string_sized_new (len + 1);
          if (len > 0)
            sim_text_append_escaped (data, g_bytes_get_data (c->rdata, NULL), len);
          sim_trace_field_str (ev, "data", data->str);
          GString *incs = g_string_new (NULL);
          append_spans (incs, c->spans);
          sim_trace_field_str (ev, "incs", incs->str);
          g_string_free (incs, TRUE);
        }
      sim_trace_text (ev, "%s(%s) = %" G_GINT64_FORMAT, call_names[c->kind], c->args, c->ret);
      if (c->err != 0)
        sim_trace_text (ev, " %s", sock_errno_name (c->err));
      if (data != NULL && c->ret > 0)
        sim_trace_text (ev, " \"%s\"", data->str);
      if (c->blocked)
        {
          GString *d = g_string_new (NULL);
          append_duration (d, now - c->blocked_since);
          sim_trace_text (ev, " after %s", d->str);
          g_string_free (d, TRUE);
        }
      if (c->why != NULL && c->why[0] != '\0')
        sim_trace_text (ev, ": %s", c->why);
      sim_trace_publish (trace, ev);
      if (data != NULL)
        g_string_free (data, TRUE);
    }

  SockResult r = {
    .ret = c->ret,
    .err = c->err,
    .sock_id = c->new_sock_id,
    .data = c->rdata,
    .spans = c->spans,
    .why = c->why,
    .value = c->value,
  };
  if (c->kind == CALL_READ && r.data == NULL)
    {
      /* read() always hands over bytes (maybe none). */
      c->rdata = g_bytes_new (NULL, 0);
      c->spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
      r.data = c->rdata;
      r.spans = c->spans;
    }
  if (c->done != NULL)
    c->done (&r, c->user);
  call_free (c);
}

static void
call_block (Call *c)
{
  SockTable *t = c->table;
  SimEngine *engine = table_engine (t);
  SimTrace *trace = sim_engine_trace (engine);
  c->blocked = TRUE;
  c->blocked_since = sim_engine_now (engine);
  if (sim_trace_wants (trace, "sock.block"))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, c->blocked_since, "sock.block", t->host->name);
      trace_common (ev, c);
      sim_trace_text (ev, "%s(%s) blocks", call_names[c->kind], c->args);
      sim_trace_publish (trace, ev);
    }
  g_queue_push_tail (&c->sock->pending, c);
}

static gboolean
has_pending (Sock *s, CallKind kind)
{
  for (GList *l = s->pending.head; l != NULL; l = l->next)
    if (((Call *) l->data)->kind == kind)
      return TRUE;
  return FALSE;
}

static gboolean call_try (Call *c);

/* Completes the call now if it can, else blocks it. A call queues behind an
 * earlier blocked call of the same kind on the socket (no overtaking). */
/* A call on an O_NONBLOCK socket that would block fails instead (POSIX
 * fcntl/connect/accept/read/write): connect() with EINPROGRESS, the attempt
 * going on (Linux __inet_stream_connect: timeo 0 -> -EINPROGRESS);
 * accept(), read() and write() with EAGAIN (inet_csk_accept,
 * tcp_recvmsg_locked, sk_stream_wait_memory). close() lingers as ever
 * (inet_release takes sk_lingertime whatever O_NONBLOCK says). */
static gboolean
call_fail_nonblocking (Call *c)
{
  switch (c->kind)
    {
    case CALL_CONNECT:
      call_fail (c, EINPROGRESS, "non-blocking: the connection goes on");
      return TRUE;
    case CALL_ACCEPT:
    case CALL_READ:
    case CALL_WRITE:
      call_fail (c, EAGAIN, "non-blocking: it would block");
      return TRUE;
    case CALL_SOCKET:
    case CALL_SETSOCKOPT:
    case CALL_SET_LINGER:
    case CALL_BIND:
    case CALL_LISTEN:
    case CALL_SHUTDOWN:
    case CALL_CLOSE:
    case CALL_FCNTL:
    case CALL_GETSOCKOPT:
      break;
    }
  return FALSE;
}

static void
call_submit (Call *c)
{
  if (!has_pending (c->sock, c->kind) && call_try (c))
    call_complete (c);
  else if (c->sock->nonblock && call_fail_nonblocking (c))
    call_complete (c);
  else
    call_block (c);
}

/* Completes a call that failed a precondition: EBADF and friends. */
static void
call_finish_now (Call *c)
{
  call_complete (c);
}

/* ---- sockets ------------------------------------------------------------ */

static Sock *
sock_new (SockTable *t)
{
  Sock *s = g_new0 (Sock, 1);
  s->table = t;
  s->id = t->socks->len + 1;
  g_ptr_array_add (t->socks, s);
  g_queue_init (&s->pending);
  /* fds: the lowest free number >= 3 (POSIX open/socket, 0-2 are stdio). */
  guint fd = 3;
  while (fd < t->fds->len && g_ptr_array_index (t->fds, fd) != NULL)
    fd++;
  if (fd >= t->fds->len)
    g_ptr_array_set_size (t->fds, fd + 1);
  g_ptr_array_index (t->fds, fd) = s;
  s->fd = (int) fd;
  return s;
}

static void
sock_free (Sock *s)
{
  Call *c;
  while ((c = g_queue_pop_head (&s->pending)) != NULL)
    call_free (c);
  sim_engine_cancel_clear (table_engine (s->table), &s->kick);
  if (s->salvaged != NULL)
    g_byte_array_unref (s->salvaged);
  if (s->salvaged_spans != NULL)
    g_array_unref (s->salvaged_spans);
  g_queue_clear_full (&s->udp_rx, (GDestroyNotify) g_bytes_unref);
  g_free (s);
}

SockTable *
sock_table_new (Host *host)
{
  SockTable *t = g_new0 (SockTable, 1);
  t->host = host;
  t->socks = g_ptr_array_new ();
  t->fds = g_ptr_array_new ();
  sock_config_init_linux (&t->config);
  t->port_cursor = t->config.port_low;
  t->rules = t->config.bind_rules;
  t->processes = g_ptr_array_new ();
  SockProcess *init = g_new0 (SockProcess, 1);
  init->name = g_strdup (host->name);
  g_ptr_array_add (t->processes, init);
  return t;
}

void
sock_table_free (SockTable *t)
{
  if (t == NULL)
    return;
  for (guint i = 0; i < t->socks->len; i++)
    sock_free (g_ptr_array_index (t->socks, i));
  g_ptr_array_free (t->socks, TRUE);
  g_ptr_array_free (t->fds, TRUE);
  for (guint i = 0; i < t->processes->len; i++)
    {
      SockProcess *p = g_ptr_array_index (t->processes, i);
      g_free (p->name);
      g_free (p);
    }
  g_ptr_array_free (t->processes, TRUE);
  g_free (t);
}

static gboolean
sock_dying (Sock *s)
{
  return s->table->host->dying;
}

static void
kick_event (gpointer data)
{
  Sock *s = data;
  s->kick = SIM_EVENT_ID_NONE;
  sock_progress (s);
}

/* Wakes the blocked calls of a socket at the current instant. */
static void
schedule_kick (Sock *s)
{
  SimEngine *engine = table_engine (s->table);
  if (s->pending.length == 0 || sim_engine_is_pending (engine, s->kick))
    return;
  s->kick = sim_engine_schedule_after (engine, 0, kick_event, s);
}

static void
sock_progress (Sock *s)
{
  if (s->progressing)
    {
      s->reprogress = TRUE;
      return;
    }
  s->progressing = TRUE;
  do
    {
      s->reprogress = FALSE;
      for (GList *l = s->pending.head; l != NULL; l = l->next)
        {
          Call *c = l->data;
          if (call_try (c))
            {
              g_queue_delete_link (&s->pending, l);
              call_complete (c); /* may call into this socket again */
              s->reprogress = TRUE;
              break;
            }
        }
    }
  while (s->reprogress);
  s->progressing = FALSE;
}

/* ---- TCP callbacks: record, then kick ----------------------------------- */

static void
on_established (TcpConn *conn, gpointer user)
{
  Sock *s = user;
  if (sock_dying (s))
    return;
  if (s->phase == SOCK_CONNECTING)
    s->phase = SOCK_CONNECTED;
  schedule_kick (s);
}

static void
on_wakeup (TcpConn *conn, gpointer user)
{
  Sock *s = user;
  if (sock_dying (s))
    return;
  schedule_kick (s);
}

static void
on_failed (TcpConn *conn, TcpError error, gpointer user)
{
  Sock *s = user;
  if (sock_dying (s) || error == TCP_ERROR_ABORTED || error == TCP_ERROR_NONE)
    return; /* our own abort is no error to report */
  s->so_error = tcp_error_errno (error); /* sk->sk_err, reported once */
  schedule_kick (s);
}

static void
on_released (TcpConn *conn, gpointer user)
{
  Sock *s = user;
  if (sock_dying (s) || s->conn != conn)
    return;
  /* The TCB goes (CLOSED, or it became a TIME-WAIT record). Bytes the
   * application has not read yet stay readable from the socket, as they
   * would in the socket's receive queue on Linux (also after SHUT_RD:
   * tcp_recvmsg still returns them). */
  if (s->fd >= 0)
    {
      gsize n = tcp_conn_readable (conn);
      if (n > 0)
        {
          if (s->salvaged == NULL)
            {
              s->salvaged = g_byte_array_new ();
              s->salvaged_spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
            }
          tcp_conn_receive (conn, n, s->salvaged, s->salvaged_spans);
        }
    }
  s->conn = NULL;
  s->conn_gone = TRUE;
  schedule_kick (s);
}

static const TcpConnCallbacks conn_callbacks = {
  .established = on_established,
  .readable = on_wakeup,
  .sendable = on_wakeup,
  .failed = on_failed,
  .released = on_released,
};

static void
on_acceptable (TcpListener *listener, gpointer user)
{
  Sock *s = user;
  if (sock_dying (s))
    return;
  schedule_kick (s);
}

static const TcpListenerCallbacks listener_callbacks = {
  .acceptable = on_acceptable,
};

/* ---- ports -------------------------------------------------------------- */

static TcpState
sock_rule_state (const Sock *s)
{
  switch (s->phase)
    {
    case SOCK_LISTENING:
      return TCP_STATE_LISTEN;
    case SOCK_CONNECTING:
      return TCP_STATE_SYN_SENT;
    case SOCK_CONNECTED:
      return s->conn != NULL ? tcp_conn_state (s->conn) : TCP_STATE_CLOSED;
    case SOCK_NEW:
    case SOCK_BOUND:
    case SOCK_CLOSED:
      return TCP_STATE_CLOSED;
    }
  return TCP_STATE_CLOSED;
}

static SockProcess *
sock_process (const Sock *s)
{
  return g_ptr_array_index (s->table->processes, s->pid);
}

static BindProto
sock_proto (const Sock *s)
{
  return s->type == SOCK_TYPE_DGRAM ? BIND_PROTO_UDP : BIND_PROTO_TCP;
}

typedef struct {
  SockTable *table;
  BindRequest req;
  int err;
  char *reason;
} PortCheck;

/* The socket (open or closed) that created connection conn_id, if any. */
static Sock *
sock_for_conn (SockTable *t, guint64 conn_id)
{
  for (guint i = 0; i < t->socks->len; i++)
    {
      Sock *o = g_ptr_array_index (t->socks, i);
      if (o->conn_id == conn_id && o->type == SOCK_TYPE_STREAM)
        return o;
    }
  return NULL;
}

static void
visit_tcb (const NetFourTuple *tuple, TcpState state, guint bind_flags,
           guint64 conn_id, gpointer data)
{
  PortCheck *pc = data;
  if (pc->err != 0)
    return;
  Sock *creator = sock_for_conn (pc->table, conn_id);
  BindHolder h = {
    .kind = BIND_HOLDER_TCB,
    .proto = BIND_PROTO_TCP,
    .fd = -1,
    .state = state,
    .local = tuple->local,
    .remote = tuple->remote,
    .bind_flags = bind_flags,
    .uid = creator != NULL ? sock_process (creator)->uid : BIND_UID_UNKNOWN,
    .owner = creator != NULL ? sock_process (creator)->name : NULL,
  };
  pc->err = bind_rules_check (pc->table->rules, &pc->req, &h, &pc->reason);
}

/* Does anyone keep `self` off local (a) among the host's other open
 * sockets holding the port, (b) among TCBs and TIME-WAIT records on it?
 * Returns 0 or the errno (EADDRINUSE, EACCES). */
static int
port_conflict (SockTable *t, Sock *self, NetEndpoint local, TcpState state,
               gboolean autobind, char **reason)
{
  PortCheck pc = {
    .table = t,
    .req = { .proto = sock_proto (self), .local = local, .bind_flags = sock_bind_flags (self),
             .state = state, .autobind = autobind, .uid = sock_process (self)->uid,
             .v6only = sock_v6only (self) },
  };
  for (guint i = 0; i < t->socks->len && pc.err == 0; i++)
    {
      Sock *o = g_ptr_array_index (t->socks, i);
      /* A closed socket holds nothing itself; its TCB, if it lives on, is
       * visited below. A connected socket whose TCB went away keeps the
       * port only if the user bound it (Linux tcp_set_state(TCP_CLOSE):
       * inet_put_port unless SOCK_BINDPORT_LOCK). */
      if (o == self || o->fd < 0 || !o->bound)
        continue;
      if (o->phase == SOCK_CONNECTED && o->conn_gone && o->autobound)
        continue;
      /* An open socket with a live TCB is judged as that TCB below, with
       * the socket's owner (avoids naming one connection twice). */
      if (o->conn != NULL && o->type == SOCK_TYPE_STREAM)
        continue;
      NetEndpoint ol = o->has_tuple ? o->tuple.local : o->local;
      if (ol.port != local.port)
        continue;
      BindHolder h = {
        .kind = BIND_HOLDER_SOCKET,
        .proto = sock_proto (o),
        .fd = o->fd,
        .state = sock_rule_state (o),
        .local = ol,
        .remote = o->has_tuple ? o->tuple.remote : (NetEndpoint){ NET_IP4_ANY, 0 },
        .v6only = sock_v6only (o),
        .bind_flags = sock_bind_flags (o),
        .uid = sock_process (o)->uid,
        .owner = o->pid != 0 ? sock_process (o)->name : NULL,
      };
      pc.err = bind_rules_check (t->rules, &pc.req, &h, &pc.reason);
    }
  if (pc.err == 0 && pc.req.proto == BIND_PROTO_TCP)
    tcp_stack_foreach_on_port (t->host->tcp, local.port, visit_tcb, &pc);
  if (reason != NULL)
    *reason = pc.reason;
  else
    g_free (pc.reason);
  return pc.err;
}

static guint
port_range_size (SockTable *t)
{
  return (guint) t->config.port_high - t->config.port_low + 1;
}

/* Linux inet_csk_find_open_port (bind port 0, inet_autobind), FreeBSD
 * in_pcb_lport: the first port of the ephemeral range, walking from a
 * per-host cursor, that nobody holds on a matching address. */
static gboolean
pick_ephemeral (SockTable *t, Sock *self, NetAddr ip, guint16 *port)
{
  const guint range = port_range_size (t);
  const guint low = t->config.port_low;
  for (guint i = 0; i < range; i++)
    {
      guint p = low + (t->port_cursor - low + i) % range;
      if (port_conflict (t, self, (NetEndpoint){ ip, (guint16) p }, TCP_STATE_CLOSED, TRUE, NULL))
        continue;
      t->port_cursor = p + 1 > t->config.port_high ? low : p + 1;
      *port = (guint16) p;
      return TRUE;
    }
  return FALSE;
}

typedef struct {
  const NetFourTuple *tuple;
  gboolean blocked;      /* a TCB or TIME-WAIT of the same 4-tuple, or a bind */
  guint time_wait;       /* TIME-WAIT records of this 4-tuple */
  gboolean tcb;          /* a TCB (not TIME-WAIT) of this 4-tuple */
} ConnectPortCheck;

static void
visit_connect_port (const NetFourTuple *tuple, TcpState state, guint bind_flags,
                    guint64 conn_id, gpointer data)
{
  ConnectPortCheck *cc = data;
  if (!net_four_tuple_equal (tuple, cc->tuple))
    return;
  cc->blocked = TRUE;
  if (state == TCP_STATE_TIME_WAIT)
    cc->time_wait++;
  else
    cc->tcb = TRUE;
}

/* Linux tcp_tw_reuse = 2: "loopback only", as tcp_twsk_unique()
 * (net/ipv4/tcp_ipv4.c) decides it: ipv4_is_loopback(tw_daddr) ||
 * ipv4_is_loopback(tw_rcv_saddr) for AF_INET, ipv6_addr_loopback() or
 * ipv6_addr_v4mapped_loopback() of tw_v6_daddr / tw_v6_rcv_saddr for
 * AF_INET6 (or a socket bound to the lo device, which twsim does not
 * model). A connection to one of the host's own other addresses also
 * travels over lo, but its addresses are not loopback ones: "Still does
 * not detect *everything* that goes through lo", so tw_reuse=2 does not
 * take its record. */
static gboolean
peer_is_loopback (SockTable *t, const NetFourTuple *tuple)
{
  return net_addr_is_loopback (net_addr_unmapped (tuple->remote.ip))
         || net_addr_is_loopback (net_addr_unmapped (tuple->local.ip));
}

/* Linux tcp_twsk_unique (net/ipv4/tcp_ipv4.c), asked by
 * __inet_check_established when connect() finds its exact 4-tuple held by
 * a TIME-WAIT record. The record is reusable if it saw timestamps
 * (tw_ts_recent_stamp) and either the port was bound explicitly (bind()
 * then connect(): "twp == NULL", no sysctl, no delay) or tcp_tw_reuse
 * allows it (1, or 2 toward loopback) and the record is at least
 * tcp_tw_reuse_delay old. Other rule sets never take a record over
 * (FreeBSD in_pcbconnect_setup: EADDRINUSE). *why (if not NULL) gets the
 * reason it is not reusable, or NULL. */
static gboolean
time_wait_reusable (SockTable *t, const NetFourTuple *tuple, const TcpTimeWaitInfo *tw,
                    gboolean bound, char **why)
{
  GString *r = g_string_new (NULL);
  net_four_tuple_append (r, tuple);
  g_string_append (r, tw->fin_wait_2 ? " is held by an orphaned FIN-WAIT-2 (a TIME-WAIT "
                                       "minisocket)" : " is held by a TIME-WAIT record");
  gboolean ok = FALSE;
  if (t->config.bind_rules != BIND_RULES_LINUX)
    g_string_append_printf (r, " (the %s rules never take one over on connect())",
                            bind_rule_set_name (t->config.bind_rules));
  else if (!tw->ts_used)
    g_string_append (r, " without timestamps (Linux tcp_twsk_unique takes one over only "
                        "when the old connection used timestamps; its port may be bound "
                        "again, but not used toward the same peer until TIME-WAIT ends)");
  else if (bound)
    ok = TRUE;
  else if (tw->fin_wait_2)
    /* tcp_twsk_unique (6.11 on): "if (tw->tw_substate == TCP_FIN_WAIT2)
     * reuse = 0;" only the "twp == NULL" (bound port) case remains. */
    g_string_append (r, " (Linux tcp_twsk_unique never lets tcp_tw_reuse take a FIN-WAIT-2 "
                        "minisocket)");
  else
    {
      guint reuse = t->config.tw_reuse;
      gboolean loop = peer_is_loopback (t, tuple);
      SimTime age = sim_engine_now (table_engine (t)) - tw->created;
      if (reuse == 0 || (reuse == 2 && !loop))
        g_string_append_printf (r, " and tcp_tw_reuse is %u%s", reuse,
                                reuse == 2 ? " (loopback only)" : " (off)");
      else if (age < t->config.tw_reuse_delay)
        {
          g_string_append (r, " only ");
          append_duration (r, age);
          g_string_append (r, " old (tcp_tw_reuse_delay ");
          append_duration (r, t->config.tw_reuse_delay);
          g_string_append (r, ")");
        }
      else
        ok = TRUE;
    }
  if (why != NULL)
    *why = ok ? NULL : g_strdup (r->str);
  g_string_free (r, TRUE);
  return ok;
}

static gboolean
time_wait_reusable_on_autobind (SockTable *t, const NetFourTuple *tuple)
{
  TcpTimeWaitInfo tw;
  return tcp_stack_time_wait_lookup (t->host->tcp, tuple, &tw)
         && time_wait_reusable (t, tuple, &tw, FALSE, NULL);
}

/* Linux __inet_hash_connect(), FreeBSD in_pcb_lport_dest(): connect() on an
 * unbound socket takes a port that no socket has bound or listens on and
 * whose 4-tuple to `remote` is unused: the same port may serve connections
 * to different peers. Counts the ports lost to TIME-WAIT for the message. */
static gboolean
pick_connect_port (SockTable *t, Sock *self, NetAddr ip, NetEndpoint remote, guint16 *port,
                   guint *lost_to_time_wait)
{
  const guint range = port_range_size (t);
  const guint low = t->config.port_low;
  *lost_to_time_wait = 0;
  for (guint i = 0; i < range; i++)
    {
      guint p = low + (t->port_cursor - low + i) % range;
      gboolean bound_here = FALSE;
      /* Open sockets only (closed ones hold nothing): the fd table, not
       * every socket the host ever had. */
      for (guint k = 0; k < t->fds->len && !bound_here; k++)
        {
          Sock *o = g_ptr_array_index (t->fds, k);
          if (o == NULL || o == self || !o->bound || o->type != SOCK_TYPE_STREAM)
            continue;
          NetEndpoint ol = o->has_tuple ? o->tuple.local : o->local;
          /* Linux: tb->fastreuse >= 0 means someone bind()s here. */
          bound_here = ol.port == p && !(o->autobound && o->has_tuple);
        }
      if (bound_here)
        continue;
      NetFourTuple tuple = { { ip, (guint16) p }, remote };
      ConnectPortCheck cc = { .tuple = &tuple };
      tcp_stack_foreach_on_port (t->host->tcp, (guint16) p, visit_connect_port, &cc);
      /* Linux __inet_hash_connect -> __inet_check_established: a port
       * whose 4-tuple is held only by a TIME-WAIT record that
       * tcp_twsk_unique allows (tcp_tw_reuse) is taken. */
      if (cc.blocked
          && (cc.tcb || cc.time_wait == 0 || !time_wait_reusable_on_autobind (t, &tuple)))
        {
          *lost_to_time_wait += cc.time_wait > 0 ? 1 : 0;
          continue;
        }
      t->port_cursor = p + 1 > t->config.port_high ? low : p + 1;
      *port = (guint16) p;
      return TRUE;
    }
  return FALSE;
}

static void
fail_no_port (Call *c, int err, SockTable *t, const NetEndpoint *remote, guint lost)
{
  if (remote == NULL)
    {
      call_fail (c, err, "no free port in the ephemeral range %u-%u", t->config.port_low,
                 t->config.port_high);
      return;
    }
  g_autofree char *to = net_endpoint_to_string (*remote);
  GString *hint = g_string_new (NULL);
  if (lost > 0 && t->config.bind_rules == BIND_RULES_LINUX)
    {
      /* Why tcp_twsk_unique took none of them. */
      if (t->config.tw_reuse == 0)
        g_string_append (hint, "; tcp_tw_reuse is 0");
      else
        {
          g_string_append_printf (hint, "; tcp_tw_reuse %u takes a record only if it used "
                                  "timestamps%s and is tcp_tw_reuse_delay (",
                                  t->config.tw_reuse,
                                  t->config.tw_reuse == 2 ? ", leads to loopback" : "");
          append_duration (hint, t->config.tw_reuse_delay);
          g_string_append (hint, ") old");
        }
    }
  call_fail (c, err, "every port of the ephemeral range %u-%u is already used toward %s "
             "(%u of the %u by TIME-WAIT records%s)", t->config.port_low, t->config.port_high,
             to, lost, port_range_size (t), hint->str);
  g_string_free (hint, TRUE);
}

/* ---- per-call progress -------------------------------------------------- */

/* connect() failed (or shutdown() disconnected a connecting or listening
 * socket): Linux tcp_set_state(TCP_CLOSE) gives back a port the stack
 * chose (no SOCK_BINDPORT_LOCK); the socket may connect again. */
static void
connect_failed (Sock *s)
{
  s->has_tuple = FALSE;
  s->conn = NULL;
  s->conn_gone = FALSE;
  if (s->autobound)
    {
      s->bound = FALSE;
      s->autobound = FALSE;
      s->local = (NetEndpoint){ NET_IP4_ANY, 0 };
      s->phase = SOCK_NEW;
    }
  else
    s->phase = SOCK_BOUND;
}

/* Reports the pending error once (POSIX: SO_ERROR is cleared when read). */
static void
report_error (Call *c)
{
  Sock *s = c->sock;
  int err = s->so_error;
  s->so_error = 0;
  const char *why = errno_why (err);
  call_fail (c, err, "%s", why != NULL ? why : "");
}

static gboolean
try_connect (Call *c)
{
  Sock *s = c->sock;
  if (s->phase == SOCK_CONNECTED)
    {
      call_ok (c, 0);
      return TRUE;
    }
  if (s->phase != SOCK_CONNECTING)
    {
      /* shutdown() abandoned the attempt: its sk_err (ECONNRESET). */
      if (s->so_error != 0)
        {
          report_error (c);
          return TRUE;
        }
      /* Another call (a read that took the error) already ended it. */
      call_fail (c, ECONNABORTED, "the connection attempt ended");
      return TRUE;
    }
  if (s->so_error != 0)
    {
      report_error (c);
      connect_failed (s);
      return TRUE;
    }
  if (s->conn_gone)
    {
      call_fail (c, ECONNABORTED, "the connection attempt was given up");
      connect_failed (s);
      return TRUE;
    }
  return FALSE;
}

static gboolean
try_accept (Call *c)
{
  Sock *s = c->sock;
  SockTable *t = c->table;
  if (s->listener == NULL)
    {
      call_fail (c, EINVAL, "the socket is no longer listening");
      return TRUE;
    }
  TcpConn *child = tcp_listener_accept (s->listener);
  if (child == NULL)
    return FALSE;
  Sock *cs = sock_new (t);
  const NetFourTuple *tuple = tcp_conn_tuple (child);
  cs->phase = SOCK_CONNECTED;
  cs->bound = TRUE;
  cs->autobound = s->autobound;
  cs->local = tuple->local;
  cs->has_tuple = TRUE;
  cs->tuple = *tuple;
  /* Linux sock_copy(): the child inherits the listener's options, among
   * them SO_REUSEADDR/SO_REUSEPORT (hence its TIME-WAIT record's) and
   * SO_LINGER. */
  cs->reuseaddr = s->reuseaddr;
  cs->reuseport = s->reuseport;
  cs->exclusive = s->exclusive;
  cs->pid = s->pid;
  cs->family = s->family;
  cs->family_fixed = TRUE;
  cs->v6only_set = s->v6only_set;
  cs->v6only = s->v6only;
  cs->keepalive = s->keepalive;
  cs->nodelay = s->nodelay;
  cs->linger_on = s->linger_on;
  cs->linger_seconds = s->linger_seconds;
  cs->conn = child;
  cs->conn_id = tcp_conn_id (child);
  tcp_conn_set_bind_flags (child, sock_bind_flags (cs));
  tcp_conn_set_callbacks (child, &conn_callbacks, cs);
  call_ok (c, cs->fd);
  c->new_sock_id = cs->id;
  GString *why = g_string_new ("from ");
  NetEndpoint peer = tuple->remote;
  /* RFC 4291 2.5.5.2, RFC 3493 3.7: an IPv6 socket sees an IPv4 peer as
   * ::ffff:a.b.c.d (Linux tcp_v6_syn_recv_sock: ipv6_addr_set_v4mapped). */
  if (s->family == NET_FAMILY_IPV6 && !net_addr_is_ip6 (peer.ip))
    peer.ip = net_addr_v4_mapped (peer.ip);
  net_endpoint_append (why, peer);
  call_note (c, g_string_free (why, FALSE));
  return TRUE;
}

static void
read_result (Call *c, GByteArray *bytes, GArray *spans)
{
  c->ret = (gint64) bytes->len;
  c->err = 0;
  c->rdata = g_byte_array_free_to_bytes (bytes);
  c->spans = spans;
}

/* Linux udp_recvmsg(): one datagram per call; what does not fit in `max`
 * is discarded (udp(7): MSG_TRUNC). */
static gboolean
try_read_udp (Call *c)
{
  Sock *s = c->sock;
  GBytes *d = g_queue_pop_head (&s->udp_rx);
  if (d == NULL)
    return FALSE;
  gsize len;
  const guint8 *p = g_bytes_get_data (d, &len);
  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, p, (guint) MIN (len, c->max));
  read_result (c, out, g_array_new (FALSE, FALSE, sizeof (TcpByteSpan)));
  if (len > c->max)
    call_note (c, g_strdup_printf ("the datagram had %" G_GSIZE_FORMAT " bytes; the rest "
                                   "is discarded (MSG_TRUNC)", len));
  g_bytes_unref (d);
  return TRUE;
}

static gboolean
try_read (Call *c)
{
  Sock *s = c->sock;
  if (s->type == SOCK_TYPE_DGRAM)
    return try_read_udp (c);
  if (c->max == 0)
    {
      call_ok (c, 0);
      return TRUE;
    }
  if (s->phase == SOCK_NEW || s->phase == SOCK_BOUND)
    {
      call_fail (c, ENOTCONN, "the connection attempt failed");
      return TRUE;
    }
  if (s->conn != NULL && tcp_conn_readable (s->conn) > 0)
    {
      GByteArray *out = g_byte_array_new ();
      GArray *spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
      tcp_conn_receive (s->conn, c->max, out, spans);
      read_result (c, out, spans);
      return TRUE;
    }
  if (s->salvaged != NULL && s->salvaged->len > 0)
    {
      /* Bytes left behind by a TCB that went away. */
      gsize n = MIN (c->max, s->salvaged->len);
      GByteArray *out = g_byte_array_new ();
      g_byte_array_append (out, s->salvaged->data, (guint) n);
      g_byte_array_remove_range (s->salvaged, 0, (guint) n);
      GArray *spans = g_array_new (FALSE, FALSE, sizeof (TcpByteSpan));
      gsize left = n;
      while (left > 0 && s->salvaged_spans->len > 0)
        {
          TcpByteSpan *sp = &g_array_index (s->salvaged_spans, TcpByteSpan, 0);
          TcpByteSpan part = *sp;
          part.length = MIN (sp->length, left);
          g_array_append_val (spans, part);
          left -= part.length;
          if (part.length == sp->length)
            g_array_remove_index (s->salvaged_spans, 0);
          else
            {
              sp->length -= part.length;
              sp->stream_offset += part.length;
            }
        }
      read_result (c, out, spans);
      return TRUE;
    }
  if (s->conn != NULL && tcp_conn_at_eof (s->conn))
    {
      call_ok (c, 0);
      return TRUE;
    }
  if (s->so_error != 0)
    {
      /* Linux tcp_recvmsg: queued data first, then sk_err, once. */
      report_error (c);
      return TRUE;
    }
  if (s->shut_rd)
    {
      /* Linux tcp_recvmsg after shutdown(SHUT_RD): the bytes already
       * queued are returned first (above); then, instead of blocking,
       * "if (sk->sk_shutdown & RCV_SHUTDOWN) break" returns 0. */
      call_ok (c, 0);
      return TRUE;
    }
  if (s->conn == NULL)
    {
      /* The TCB is gone after an orderly end (or an error already
       * reported): end of file from now on. */
      call_ok (c, 0);
      return TRUE;
    }
  return FALSE;
}

/* Filler byte i of a write: 'a'..'z' over and over. */
static void
fill (guint8 *out, gsize from, gsize n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = (guint8) ('a' + (from + i) % 26);
}

/* The filler from offset `from` on, made only as far as the send buffer
 * takes it now: write(c, 2147483647) never holds 2 GB. */
static gsize
send_filler (TcpConn *conn, gsize from, gsize left)
{
  gsize n = MIN (left, tcp_conn_send_space (conn));
  if (n == 0)
    return 0;
  guint8 *chunk = g_malloc (n);
  fill (chunk, from, n);
  gsize sent = tcp_conn_send (conn, chunk, n);
  g_free (chunk);
  return sent;
}

static gboolean
try_write (Call *c)
{
  Sock *s = c->sock;
  gsize len = c->wlen;
  /* A write that already moved bytes returns their count rather than an
   * error (Linux tcp_sendmsg: "if (copied) goto out"). */
  if (s->shut_wr)
    {
      if (c->written > 0)
        call_ok (c, (gint64) c->written);
      else
        call_fail (c, EPIPE, "the socket was shut down for writing");
      return TRUE;
    }
  if (s->so_error != 0)
    {
      if (c->written > 0)
        call_ok (c, (gint64) c->written);
      else
        report_error (c);
      return TRUE;
    }
  if (s->phase == SOCK_NEW || s->phase == SOCK_BOUND)
    {
      /* Linux sk_stream_wait_connect: the attempt failed -> EPIPE. */
      call_fail (c, EPIPE, "the connection attempt failed");
      return TRUE;
    }
  if (s->conn == NULL)
    {
      if (c->written > 0)
        call_ok (c, (gint64) c->written);
      else
        call_fail (c, EPIPE, "the connection is gone");
      return TRUE;
    }
  if (s->phase == SOCK_CONNECTING)
    return FALSE; /* Linux sk_stream_wait_connect */
  if (c->written < len && c->wdata != NULL)
    {
      const guint8 *bytes = g_bytes_get_data (c->wdata, NULL);
      c->written += tcp_conn_send (s->conn, bytes + c->written, len - c->written);
    }
  else if (c->written < len)
    c->written += send_filler (s->conn, c->written, len - c->written);
  if (c->written == len)
    {
      call_ok (c, (gint64) len);
      return TRUE;
    }
  return FALSE;
}

/* The socket lets go of its TCB: the stack carries on alone (FIN-WAIT,
 * TIME-WAIT). */
static void
orphan_conn (Sock *s)
{
  if (s->conn != NULL)
    {
      TcpConn *conn = s->conn;
      s->conn = NULL;
      s->conn_gone = TRUE;
      tcp_conn_orphan (conn);
    }
}

static gboolean
try_linger_close (Call *c)
{
  Sock *s = c->sock;
  if (s->conn == NULL)
    {
      call_ok (c, 0);
      return TRUE;
    }
  TcpState state = tcp_conn_state (s->conn);
  /* Linux sk_stream_wait_close: wait while closing(sk), i.e. while our FIN
   * is unacknowledged (FIN-WAIT-1, CLOSING, LAST-ACK); and for the data. */
  gboolean closing = state == TCP_STATE_FIN_WAIT_1 || state == TCP_STATE_CLOSING
                     || state == TCP_STATE_LAST_ACK;
  if (!closing && tcp_conn_unacked (s->conn) == 0)
    {
      orphan_conn (s);
      call_ok (c, 0);
      call_note (c, g_strdup ("SO_LINGER: everything sent was acknowledged"));
      return TRUE;
    }
  if (!c->timed_out)
    return FALSE;
  switch (s->table->config.linger_timeout)
    {
    case SOCK_LINGER_TIMEOUT_ORPHAN:
      orphan_conn (s);
      call_ok (c, 0);
      call_note (c, g_strdup_printf ("SO_LINGER timeout after %ds: close returns, the "
                                     "stack keeps sending (Linux __tcp_close)",
                                     s->linger_seconds));
      break;
    case SOCK_LINGER_TIMEOUT_ABORT:
      {
        TcpConn *conn = s->conn;
        tcp_conn_abort (conn); /* `released` clears s->conn */
        s->conn = NULL;
        s->conn_gone = TRUE;
        call_ok (c, 0);
        call_note (c, g_strdup_printf ("SO_LINGER timeout after %ds: RST", s->linger_seconds));
      }
      break;
    }
  return TRUE;
}

static gboolean
call_try (Call *c)
{
  switch (c->kind)
    {
    case CALL_CONNECT:
      return try_connect (c);
    case CALL_ACCEPT:
      return try_accept (c);
    case CALL_READ:
      return try_read (c);
    case CALL_WRITE:
      return try_write (c);
    case CALL_CLOSE:
      return try_linger_close (c);
    case CALL_SOCKET:
    case CALL_SETSOCKOPT:
    case CALL_SET_LINGER:
    case CALL_BIND:
    case CALL_LISTEN:
    case CALL_SHUTDOWN:
    case CALL_FCNTL:
    case CALL_GETSOCKOPT:
      break;
    }
  g_return_val_if_reached (TRUE);
}

/* ---- the API ------------------------------------------------------------ */

/* EBADF for a number that is not an open socket of this host. */
static gboolean
check_fd (Call *c)
{
  if (c->sock != NULL)
    return TRUE;
  call_fail (c, EBADF, "fd %d is not an open socket", c->fd);
  call_finish_now (c);
  return FALSE;
}

void
sock_socket (Host *host, SockDoneFunc done, gpointer user)
{
  sock_socket_in (host, 0, SOCK_TYPE_STREAM, done, user);
}

void
sock_socket_in (Host *host, guint pid, SockType type, SockDoneFunc done, gpointer user)
{
  SockTable *t = host->sockets;
  g_return_if_fail (pid < t->processes->len);
  Call *c = call_new (t, CALL_SOCKET, -1, done, user, "%s",
                      type == SOCK_TYPE_DGRAM ? "SOCK_DGRAM" : "");
  SockProcess *proc = g_ptr_array_index (t->processes, pid);
  if (proc->exited)
    {
      call_fail (c, EBADF, "process %s has exited", proc->name);
      call_finish_now (c);
      return;
    }
  Sock *s = sock_new (t);
  s->type = type;
  s->pid = pid;
  c->new_sock_id = s->id;
  call_ok (c, s->fd);
  if (pid != 0)
    call_note (c, g_strdup_printf ("process %s, uid %u", proc->name, proc->uid));
  call_finish_now (c);
}

guint
sock_process_new (Host *host, const char *name, guint uid)
{
  SockTable *t = host->sockets;
  SockProcess *p = g_new0 (SockProcess, 1);
  p->name = g_strdup (name);
  p->uid = uid;
  g_ptr_array_add (t->processes, p);
  return t->processes->len - 1;
}

void
sock_config_init_linux (SockConfig *config)
{
  *config = (SockConfig){
    /* net.ipv4.ip_local_port_range (Documentation/networking/ip-sysctl.rst) */
    .port_low = 32768,
    .port_high = 60999,
    .bind_rules = BIND_RULES_LINUX,
    /* net.ipv4.tcp_tw_reuse default 2: loopback only */
    .tw_reuse = 2,
    /* net.ipv4.tcp_tw_reuse_delay default 1000 ms */
    .tw_reuse_delay = 1000 * SIM_MS,
    .linger_timeout = SOCK_LINGER_TIMEOUT_ORPHAN,
    .unread_close_rst = TRUE,
    /* __inet_check_established(): -EADDRNOTAVAIL */
    .connect_dup_errno = EADDRNOTAVAIL,
    /* inet_bind(): snum < inet_prot_sock(net) needs CAP_NET_BIND_SERVICE */
    .reserved_ports = TRUE,
  };
}

void
sock_configure (Host *host, const SockConfig *config)
{
  SockTable *t = host->sockets;
  g_return_if_fail (config->port_low > 0 && config->port_low <= config->port_high);
  t->config = *config;
  t->rules = config->bind_rules;
  t->port_cursor = config->port_low;
}

const SockConfig *
sock_config (Host *host)
{
  return &host->sockets->config;
}

static const char *
option_name (SockOption option)
{
  switch (option)
    {
    case SOCK_OPT_REUSEADDR:
      return "SO_REUSEADDR";
    case SOCK_OPT_REUSEPORT:
      return "SO_REUSEPORT";
    case SOCK_OPT_KEEPALIVE:
      return "SO_KEEPALIVE";
    case SOCK_OPT_NODELAY:
      return "TCP_NODELAY";
    case SOCK_OPT_EXCLUSIVEADDRUSE:
      return "SO_EXCLUSIVEADDRUSE";
    case SOCK_OPT_V6ONLY:
      return "IPV6_V6ONLY";
    }
  return "?";
}

/* IPV6_V6ONLY (RFC 3493 5.3). Linux do_ipv6_setsockopt(): "case
 * IPV6_V6ONLY: if (optlen < sizeof(int) || inet_sk(sk)->inet_num) goto
 * e_inval;" (not once the socket has a port); at level IPPROTO_IPV6 an
 * AF_INET socket gets ENOPROTOOPT. An unbound socket becomes an IPv6 one
 * (the family is inferred, scenarios/README.md). Fails the call and
 * returns FALSE when the option cannot be set. */
static gboolean
set_v6only (Call *c, gboolean on)
{
  Sock *s = c->sock;
  if (s->family_fixed && s->family == NET_FAMILY_IPV4)
    call_fail (c, ENOPROTOOPT, "an IPv4 socket has no IPV6_V6ONLY");
  else if (s->bound)
    call_fail (c, EINVAL, "IPV6_V6ONLY cannot change once the socket has a port "
                          "(Linux do_ipv6_setsockopt)");
  else
    {
      s->family = NET_FAMILY_IPV6;
      s->family_fixed = TRUE;
      s->v6only_set = TRUE;
      s->v6only = on;
      return TRUE;
    }
  call_finish_now (c);
  return FALSE;
}

/* The socket takes the family of the first address it is bound or
 * connected to; afterwards another family is EAFNOSUPPORT (Linux
 * inet6_bind()/tcp_v6_connect(): sin6_family != AF_INET6, inet_bind()/
 * tcp_v4_connect(): sin_family != AF_INET). Fails the call and returns
 * FALSE on a mismatch. */
static gboolean
take_family (Call *c, NetAddr addr)
{
  Sock *s = c->sock;
  NetFamily family = net_addr_is_ip6 (addr) ? NET_FAMILY_IPV6 : NET_FAMILY_IPV4;
  if (s->family_fixed && s->family != family)
    {
      call_fail (c, EAFNOSUPPORT, "an %s socket cannot use an %s address",
                 s->family == NET_FAMILY_IPV6 ? "IPv6" : "IPv4",
                 family == NET_FAMILY_IPV6 ? "IPv6" : "IPv4");
      call_finish_now (c);
      return FALSE;
    }
  s->family = family;
  s->family_fixed = TRUE;
  return TRUE;
}

/* The host's own addresses, and the loopback ones every host has
 * (RFC 1122 3.2.1.3 (g) 127.0.0.0/8; RFC 4291 2.5.3 ::1). */
static gboolean
is_local_address (Host *host, NetAddr ip)
{
  return net_addr_is_loopback (ip) || host_owns_ip (host, ip);
}

/* The source address of a connection to `remote` (Linux ip_route_connect
 * -> fib lookup; ip6_route_output + ipv6_dev_get_saddr): toward loopback
 * the loopback device's address (127.0.0.1 / ::1), toward one of the
 * host's own addresses that address (the local table), else the host's
 * first address of the family (twsim has one route per family). The
 * wildcard when the host has no address of the family. */
static NetAddr
source_address (Host *host, NetAddr remote)
{
  static const guint8 ip6_loopback[16] = { [15] = 1 };
  if (net_addr_is_loopback (remote))
    return net_addr_is_ip6 (remote) ? net_addr_ip6 (ip6_loopback) : net_addr_ip4 (0x7f000001u);
  if (host_owns_ip (host, remote))
    return remote;
  return host_primary_ip_of (host, net_addr_is_ip6 (remote) ? NET_FAMILY_IPV6 : NET_FAMILY_IPV4);
}

void
sock_set_nonblock (Host *host, int fd, gboolean on, SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_FCNTL, fd, done, user, "%d, F_SETFL, %s", fd,
                      on ? "O_NONBLOCK" : "0");
  if (!check_fd (c))
    return;
  c->sock->nonblock = on;
  call_ok (c, 0);
  call_finish_now (c);
}

/* getsockopt(SO_ERROR): the pending error, cleared by reading it (Linux
 * sock_getsockopt: sock_error() swaps sk_err with 0). */
void
sock_get_error (Host *host, int fd, SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_GETSOCKOPT, fd, done, user, "%d, SO_ERROR", fd);
  if (!check_fd (c))
    return;
  c->value = c->sock->so_error;
  c->sock->so_error = 0;
  call_ok (c, 0);
  call_finish_now (c);
}

void
sock_setsockopt (Host *host, int fd, SockOption option, int value,
                 SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_SETSOCKOPT, fd, done, user, "%d, %s, %d",
                      fd, option_name (option), value);
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  gboolean on = value != 0;
  if (option == SOCK_OPT_V6ONLY && !set_v6only (c, on))
    return;
  switch (option)
    {
    case SOCK_OPT_REUSEADDR:
      s->reuseaddr = on;
      break;
    case SOCK_OPT_REUSEPORT:
      s->reuseport = on;
      break;
    case SOCK_OPT_KEEPALIVE:
      s->keepalive = on; /* stored; keepalive probes are not modelled yet */
      break;
    case SOCK_OPT_NODELAY:
      s->nodelay = on;   /* stored; Nagle is not modelled yet */
      break;
    case SOCK_OPT_EXCLUSIVEADDRUSE:
      s->exclusive = on; /* Windows; other rule sets ignore the flag */
      break;
    case SOCK_OPT_V6ONLY:
      break; /* set_v6only */
    }
  call_ok (c, 0);
  call_finish_now (c);
}

void
sock_set_linger (Host *host, int fd, gboolean on, int seconds,
                 SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_SET_LINGER, fd, done, user,
                      "%d, SO_LINGER, {%d, %d}", fd, on ? 1 : 0, seconds);
  if (!check_fd (c))
    return;
  if (seconds < 0)
    {
      /* Linux sock_setsockopt clamps a negative l_linger to "forever"; we
       * refuse it instead of waiting forever in virtual time. */
      call_fail (c, EINVAL, "a linger time cannot be negative");
      call_finish_now (c);
      return;
    }
  c->sock->linger_on = on;
  c->sock->linger_seconds = seconds;
  call_ok (c, 0);
  call_finish_now (c);
}

void
sock_bind (Host *host, int fd, NetEndpoint local, SockDoneFunc done, gpointer user)
{
  SockTable *t = host->sockets;
  g_autofree char *ep = net_endpoint_to_string (local);
  Call *c = call_new (t, CALL_BIND, fd, done, user, "%d, %s", fd, ep);
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  if (s->bound)
    {
      /* Linux inet_bind: EINVAL when inet_num is already set. */
      g_autofree char *cur = net_endpoint_to_string (s->has_tuple ? s->tuple.local : s->local);
      call_fail (c, EINVAL, "the socket is already bound to %s", cur);
      call_finish_now (c);
      return;
    }
  if (!take_family (c, local.ip))
    return;
  if (!net_addr_is_any (local.ip) && !is_local_address (host, local.ip))
    {
      /* Linux inet_bind: inet_addr_type() is not RTN_LOCAL -> EADDRNOTAVAIL. */
      GString *ip = g_string_new (NULL);
      net_addr_append (ip, local.ip);
      call_fail (c, EADDRNOTAVAIL, "%s is not an address of host %s", ip->str, host->name);
      g_string_free (ip, TRUE);
      call_finish_now (c);
      return;
    }
  guint uid = sock_process (s)->uid;
  if (local.port != 0 && local.port < 1024 && t->config.reserved_ports && uid != 0)
    {
      /* Linux inet_bind(): snum < inet_prot_sock() without
       * CAP_NET_BIND_SERVICE -> EACCES; FreeBSD in_pcbbind_setup():
       * lport <= ipport_reservedhigh without PRIV_NETINET_RESERVEDPORT. */
      call_fail (c, EACCES, "port %u is a reserved port (below 1024) and process %s runs as "
                 "uid %u, not root", local.port, sock_process (s)->name, uid);
      call_finish_now (c);
      return;
    }
  if (local.port == 0)
    {
      guint16 port;
      if (!pick_ephemeral (t, s, local.ip, &port))
        {
          /* Linux inet_csk_get_port: no free port -> EADDRINUSE. */
          fail_no_port (c, EADDRINUSE, t, NULL, 0);
          call_finish_now (c);
          return;
        }
      local.port = port;
      s->autobound = TRUE;
    }
  else
    {
      char *reason = NULL;
      int err = port_conflict (t, s, local, TCP_STATE_CLOSED, FALSE, &reason);
      if (err != 0)
        {
          call_fail (c, err, "%s", reason);
          g_free (reason);
          call_finish_now (c);
          return;
        }
      s->autobound = FALSE;
    }
  s->bound = TRUE;
  s->local = local;
  s->phase = SOCK_BOUND;
  call_ok (c, 0);
  if (s->autobound)
    call_note (c, g_strdup_printf ("port %u", local.port));
  else if (t->rules == BIND_RULES_TEXTBOOK && s->reuseaddr && s->type == SOCK_TYPE_STREAM)
    {
      /* The textbook model: "SO_REUSEADDR skips TIME-WAIT" taken
       * literally; the old connections' records are gone. */
      guint n = tcp_stack_discard_time_wait (host->tcp, local);
      if (n > 0)
        call_note (c, g_strdup_printf ("SO_REUSEADDR discarded %u TIME-WAIT record%s of port "
                                       "%u (textbook model)", n, n == 1 ? "" : "s", local.port));
    }
  call_finish_now (c);
}

void
sock_listen (Host *host, int fd, int backlog, SockDoneFunc done, gpointer user)
{
  SockTable *t = host->sockets;
  Call *c = call_new (t, CALL_LISTEN, fd, done, user, "%d, %d", fd, backlog);
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  if (s->type == SOCK_TYPE_DGRAM)
    {
      /* Linux inet_listen: sock->type != SOCK_STREAM -> EINVAL; POSIX
       * allows EOPNOTSUPP. */
      call_fail (c, EOPNOTSUPP, "a UDP socket cannot listen");
      call_finish_now (c);
      return;
    }
  switch (s->phase)
    {
    case SOCK_LISTENING:
      /* Linux inet_listen on a listener only updates sk_max_ack_backlog;
       * the TCP model has no call for that yet, so the backlog stays. */
      call_ok (c, 0);
      call_finish_now (c);
      return;
    case SOCK_CONNECTING:
    case SOCK_CONNECTED:
      /* Linux inet_listen: sock->state != SS_UNCONNECTED -> EINVAL. */
      call_fail (c, EINVAL, "the socket is %s",
                 s->phase == SOCK_CONNECTING ? "connecting" : "connected");
      call_finish_now (c);
      return;
    case SOCK_NEW:
    case SOCK_BOUND:
      break;
    case SOCK_CLOSED:
      g_assert_not_reached (); /* check_fd */
    }
  if (!s->bound)
    {
      /* Linux inet_autobind: listen() on an unbound socket takes an
       * ephemeral port on the wildcard address. */
      guint16 port;
      if (!pick_ephemeral (t, s, NET_IP4_ANY, &port))
        {
          fail_no_port (c, EADDRINUSE, t, NULL, 0);
          call_finish_now (c);
          return;
        }
      s->bound = TRUE;
      s->autobound = TRUE;
      s->local = (NetEndpoint){ NET_IP4_ANY, port };
    }
  else
    {
      /* Linux inet_csk_listen_start re-runs get_port(): what was shareable
       * at bind() time may not be now (another socket of the port started
       * listening, or an option changed). */
      char *reason = NULL;
      int err = port_conflict (t, s, s->local, TCP_STATE_LISTEN, FALSE, &reason);
      if (err != 0)
        {
          call_fail (c, err, "%s (listen() checks the port again)", reason);
          g_free (reason);
          call_finish_now (c);
          return;
        }
    }
  /* Linux __sys_listen: "if ((unsigned int)backlog > somaxconn) backlog =
   * somaxconn" (net.core.somaxconn 4096 since Linux 5.4; a negative backlog
   * becomes it too). 0 stays 0: the accept queue still takes one connection
   * (sk_acceptq_is_full uses `>`). */
  guint max_backlog = (guint) backlog > SOCK_LINUX_SOMAXCONN ? SOCK_LINUX_SOMAXCONN
                                                              : (guint) backlog;
  s->listener = tcp_stack_listen (host->tcp, s->local, max_backlog, &listener_callbacks, s);
  tcp_listener_set_v6only (s->listener, sock_v6only (s));
  s->conn_id = tcp_listener_id (s->listener);
  s->phase = SOCK_LISTENING;
  call_ok (c, 0);
  call_finish_now (c);
}

void
sock_accept (Host *host, int fd, SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_ACCEPT, fd, done, user, "%d", fd);
  if (!check_fd (c))
    return;
  if (c->sock->phase != SOCK_LISTENING)
    {
      /* Linux inet_csk_accept: sk_state != TCP_LISTEN -> EINVAL. */
      call_fail (c, EINVAL, "fd %d is not listening", fd);
      call_finish_now (c);
      return;
    }
  call_submit (c);
}

/* connect() needs a TCP socket that is neither connected, connecting nor
 * listening; otherwise fails the call and returns FALSE. */
static gboolean
check_can_connect (Call *c)
{
  Sock *s = c->sock;
  switch (s->phase)
    {
    case SOCK_CONNECTED:
      /* POSIX connect: EISCONN. */
      call_fail (c, EISCONN, "the socket is already connected");
      call_finish_now (c);
      return FALSE;
    case SOCK_CONNECTING:
      /* POSIX connect: EALREADY, a connection request is in progress. */
      call_fail (c, EALREADY, "a connect() is already in progress");
      call_finish_now (c);
      return FALSE;
    case SOCK_LISTENING:
      /* Linux inet_stream_connect: sock->state is SS_UNCONNECTED but
       * sk_state != TCP_CLOSE -> EISCONN (POSIX would allow EOPNOTSUPP). */
      call_fail (c, EISCONN, "the socket is listening");
      call_finish_now (c);
      return FALSE;
    case SOCK_NEW:
    case SOCK_BOUND:
      break;
    case SOCK_CLOSED:
      g_assert_not_reached (); /* check_fd */
    }
  return TRUE;
}

/* connect() on an unbound socket binds it to an ephemeral port of the
 * host's primary address; fails the call and returns FALSE when there is
 * none. */
static gboolean
autobind_for_connect (Call *c, NetAddr primary, NetEndpoint remote)
{
  SockTable *t = c->table;
  Sock *s = c->sock;
  guint16 port;
  guint lost = 0;
  if (!pick_connect_port (t, s, primary, remote, &port, &lost))
    {
      /* Linux __inet_hash_connect: -EADDRNOTAVAIL when the range is
       * used up (Bernat: client port exhaustion); FreeBSD
       * in_pcb_lport_dest: EADDRNOTAVAIL too. */
      fail_no_port (c, EADDRNOTAVAIL, t, &remote, lost);
      call_finish_now (c);
      return FALSE;
    }
  s->bound = TRUE;
  s->autobound = TRUE;
  s->local = (NetEndpoint){ primary, port };
  return TRUE;
}

/* Linux __inet_check_established: the 4-tuple is taken (and the
 * TIME-WAIT record is not reusable: tcp_twsk_unique) -> EADDRNOTAVAIL.
 * FreeBSD in_pcbconnect_setup(), XNU tcp_connect(): EADDRINUSE. Takes
 * `not_reusable`. */
static void
fail_tuple_taken (Call *c, const NetFourTuple *tuple, gboolean has_tcb, char *not_reusable,
                  gboolean autobind)
{
  SockTable *t = c->table;
  GString *why = g_string_new (NULL);
  if (has_tcb)
    {
      net_four_tuple_append (why, tuple);
      g_string_append (why, " already exists as a connection");
    }
  else
    g_string_append (why, not_reusable);
  call_fail (c, t->config.connect_dup_errno, "%s", why->str);
  g_string_free (why, TRUE);
  g_free (not_reusable);
  if (autobind)
    connect_failed (c->sock);
  call_finish_now (c);
}

/* The 4-tuple is free for connect() unless a TCB holds it or a TIME-WAIT
 * record that cannot be taken over (`take_over` says one can); when it is
 * not, fails the call and returns FALSE. */
static gboolean
claim_tuple (Call *c, TcpStack *stack, const NetFourTuple *tuple, gboolean autobind,
             gboolean *take_over)
{
  TcpTimeWaitInfo tw;
  /* A TIME-WAIT record, or a Linux FIN-WAIT-2 minisocket (a TCB here). */
  gboolean has_tw = tcp_stack_time_wait_lookup (stack, tuple, &tw);
  gboolean has_tcb = !has_tw && tcp_stack_find_conn (stack, tuple) != NULL;
  char *not_reusable = NULL;
  *take_over = has_tw && time_wait_reusable (c->table, tuple, &tw, !autobind, &not_reusable);
  if (has_tcb || (has_tw && !*take_over))
    {
      fail_tuple_taken (c, tuple, has_tcb, not_reusable, autobind);
      return FALSE;
    }
  return TRUE;
}

/* Linux tcp_twsk_unique: the new connection takes over the
 * TIME-WAIT record holding its 4-tuple. */
static TcpConn *
connect_taking_over (Call *c, TcpStack *stack, const NetFourTuple *tuple, gboolean autobind)
{
  TcpTimeWaitInfo info;
  gboolean fin_wait_2 = tcp_stack_time_wait_lookup (stack, tuple, &info) && info.fin_wait_2;
  GString *why = g_string_new (fin_wait_2 ? "took over the orphaned FIN-WAIT-2 (a TIME-WAIT "
                                            "minisocket) of "
                                          : "took over the TIME-WAIT record of ");
  net_four_tuple_append (why, tuple);
  g_string_append_printf (why, " (timestamps were used; %s; Linux tcp_twsk_unique): "
                          "ISS = its SND.NXT + 65537, TS.Recent inherited",
                          autobind ? "tcp_tw_reuse" : "the port was bound explicitly");
  /* Linux tcp_twsk_unique. */
  TcpConn *conn = tcp_stack_connect_take_over (stack, tuple,
                                               autobind ? "connect() with tcp_tw_reuse, Linux "
                                                          "tcp_twsk_unique"
                                                        : "connect() on an explicitly bound port, "
                                                          "Linux tcp_twsk_unique",
                                               &conn_callbacks, c->sock);
  call_note (c, g_string_free (why, FALSE));
  return conn;
}

/* Opens the connection on the claimed 4-tuple; the call returns when it is
 * established or fails. */
static void
start_connecting (Call *c, TcpStack *stack, const NetFourTuple *tuple, gboolean autobind,
                  gboolean take_over)
{
  Sock *s = c->sock;
  s->has_tuple = TRUE;
  s->tuple = *tuple;
  s->phase = SOCK_CONNECTING;
  s->conn_gone = FALSE;
  s->so_error = 0;
  if (take_over)
    s->conn = connect_taking_over (c, stack, tuple, autobind);
  else
    s->conn = tcp_stack_connect (stack, tuple, &conn_callbacks, s);
  if (s->conn == NULL)
    {
      /* The stack refused the 4-tuple after all (it checks the same table). */
      connect_failed (s);
      call_fail (c, EADDRNOTAVAIL, "the stack refused the 4-tuple");
      call_finish_now (c);
      return;
    }
  s->conn_id = tcp_conn_id (s->conn);
  tcp_conn_set_bind_flags (s->conn, sock_bind_flags (s));
  call_submit (c);
}

/* ---- UDP (RFC 768): connect(), send and receive ------------------------ */

/* Linux inet_dgram_connect(): a socket without a port gets one
 * (inet_autobind), then __ip4_datagram_connect()/__ip6_datagram_connect()
 * routes to the peer, takes the route's source as the local address if it
 * was the wildcard (inet_rcv_saddr) and records the peer; no packet is
 * sent. A later connect() replaces the peer (POSIX connect(): a datagram
 * socket may change its association). */
static void
udp_connect (Call *c, NetEndpoint remote)
{
  Sock *s = c->sock;
  SockTable *t = c->table;
  NetAddr source = source_address (t->host, remote.ip);
  if (net_addr_is_any (source))
    {
      call_fail (c, ENETUNREACH, "host %s has no %s address", t->host->name,
                 net_addr_is_ip6 (remote.ip) ? "IPv6" : "IPv4");
      call_finish_now (c);
      return;
    }
  if (!s->bound)
    {
      guint16 port;
      NetAddr any = s->family == NET_FAMILY_IPV6 ? NET_IP6_ANY : NET_IP4_ANY;
      if (!pick_ephemeral (t, s, any, &port))
        {
          /* inet_autobind() fails: -EAGAIN. */
          fail_no_port (c, EAGAIN, t, NULL, 0);
          call_finish_now (c);
          return;
        }
      s->bound = TRUE;
      s->autobound = TRUE;
      s->local = (NetEndpoint){ any, port };
    }
  NetEndpoint local = s->has_tuple ? s->tuple.local : s->local;
  s->has_tuple = TRUE;
  s->tuple = (NetFourTuple){ { net_addr_is_any (local.ip) ? source : local.ip, local.port },
                             remote };
  s->phase = SOCK_CONNECTED;
  call_ok (c, 0);
  GString *why = g_string_new ("local ");
  net_endpoint_append (why, s->tuple.local);
  g_string_append (why, "; no packet is sent (UDP has no handshake)");
  call_note (c, g_string_free (why, FALSE));
  call_finish_now (c);
}

static void
udp_trace (Host *host, const char *kind, const TcpSegment *seg, const char *what)
{
  SimTrace *trace = sim_engine_trace (table_engine (host->sockets));
  if (!sim_trace_active (trace))
    return;
  SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (table_engine (host->sockets)),
                                       kind, host->name);
  tcp_segment_trace_fields (ev, seg);
  GString *s = g_string_new (NULL);
  tcp_segment_append_summary (s, seg);
  sim_trace_text (ev, "%s %s%s", strcmp (kind, "udp.send") == 0 ? "send" : "recv", s->str,
                  what);
  g_string_free (s, TRUE);
  sim_trace_publish (trace, ev);
}

/* Linux udp_sendmsg(): without an address, "if (sk->sk_state !=
 * TCP_ESTABLISHED) return -EDESTADDRREQ"; else one datagram to the
 * connected peer, sent at once (no send buffer is modelled). */
static void
udp_send (Call *c, Host *host)
{
  Sock *s = c->sock;
  if (!s->has_tuple)
    {
      call_fail (c, EDESTADDRREQ, "the UDP socket has no peer: connect() it first");
      call_finish_now (c);
      return;
    }
  TcpSegment *seg = tcp_segment_new ();
  seg->udp = TRUE;
  seg->src = s->tuple.local;
  seg->dst = s->tuple.remote;
  seg->payload = g_bytes_ref (c->wdata);
  udp_trace (host, "udp.send", seg, "");
  network_route (seg, host);
  tcp_segment_unref (seg);
  call_ok (c, (gint64) g_bytes_get_size (c->wdata));
  call_finish_now (c);
}

/* How well UDP socket o matches a datagram, -1 not at all. Linux
 * compute_score() (net/ipv4/udp.c, net/ipv6/udp.c): a socket of the port;
 * a bound address must be the destination (+4), a connected peer must be
 * the source (+4); an AF_INET socket scores above a dual-stack AF_INET6 one
 * for IPv4 (ipv6_only_sock() excludes it). */
static int
udp_score (Sock *o, const TcpSegment *seg)
{
  NetEndpoint local = o->has_tuple ? o->tuple.local : o->local;
  if (o->type != SOCK_TYPE_DGRAM || o->fd < 0 || !o->bound || local.port != seg->dst.port)
    return -1;
  int score;
  if (!net_addr_is_any (local.ip))
    {
      if (!net_addr_equal (local.ip, seg->dst.ip))
        return -1;
      score = 6;
    }
  else if (local.ip.family == seg->dst.ip.family)
    score = 2;
  else if (net_addr_is_ip6 (local.ip) && !sock_v6only (o))
    score = 1;
  else
    return -1;
  if (o->has_tuple)
    {
      if (!net_endpoint_equal (o->tuple.remote, seg->src))
        return -1;
      score += 4;
    }
  return score;
}

/* The socket a datagram goes to: the best score; among several equally
 * good SO_REUSEPORT sockets, reuseport_select_sock() picks one by a hash
 * of the four-tuple (here net_four_tuple_hash, so a flow always lands on
 * the same socket, deterministically). */
static Sock *
udp_lookup (SockTable *t, const TcpSegment *seg)
{
  GPtrArray *best = g_ptr_array_new ();
  int best_score = -1;
  gboolean all_reuseport = TRUE;
  for (guint i = 0; i < t->socks->len; i++)
    {
      Sock *o = g_ptr_array_index (t->socks, i);
      int score = udp_score (o, seg);
      if (score < 0 || score < best_score)
        continue;
      if (score > best_score)
        {
          g_ptr_array_set_size (best, 0);
          best_score = score;
          all_reuseport = TRUE;
        }
      g_ptr_array_add (best, o);
      all_reuseport &= o->reuseport;
    }
  Sock *s = NULL;
  if (best->len == 1 || (best->len > 1 && !all_reuseport))
    s = g_ptr_array_index (best, 0);
  else if (best->len > 1)
    {
      NetFourTuple flow = { seg->dst, seg->src };
      s = g_ptr_array_index (best, net_four_tuple_hash (&flow) % best->len);
    }
  g_ptr_array_free (best, TRUE);
  return s;
}

void
sock_udp_arrives (Host *host, TcpSegment *seg)
{
  Sock *s = udp_lookup (host->sockets, seg);
  if (s == NULL)
    {
      /* Linux __udp4_lib_rcv(): no socket -> ICMP port unreachable, which
       * twsim does not model; the datagram is dropped. */
      udp_trace (host, "udp.recv", seg, ": no socket on the port, dropped (ICMP port "
                                        "unreachable is not modelled)");
      return;
    }
  g_autofree char *to = g_strdup_printf (": queued on fd %d", s->fd);
  udp_trace (host, "udp.recv", seg, to);
  g_queue_push_tail (&s->udp_rx, seg->payload != NULL ? g_bytes_ref (seg->payload)
                                                       : g_bytes_new (NULL, 0));
  schedule_kick (s);
}

void
sock_connect (Host *host, int fd, NetEndpoint remote, SockDoneFunc done, gpointer user)
{
  SockTable *t = host->sockets;
  g_autofree char *ep = net_endpoint_to_string (remote);
  Call *c = call_new (t, CALL_CONNECT, fd, done, user, "%d, %s", fd, ep);
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  if (s->type == SOCK_TYPE_DGRAM)
    {
      if (take_family (c, remote.ip))
        udp_connect (c, remote);
      return;
    }
  if (!check_can_connect (c) || !take_family (c, remote.ip))
    return;
  NetAddr primary = source_address (host, remote.ip);
  if (net_addr_is_any (primary))
    {
      /* Linux ip6_route_output finds no route: -ENETUNREACH. */
      call_fail (c, ENETUNREACH, "host %s has no %s address", host->name,
                 net_addr_is_ip6 (remote.ip) ? "IPv6" : "IPv4");
      call_finish_now (c);
      return;
    }
  gboolean autobind = !s->bound;
  if (autobind && !autobind_for_connect (c, primary, remote))
    return;
  /* A socket bound to the wildcard takes the host's primary address (a
   * real stack asks the routing table: inet_hash_connect's source addr). */
  NetFourTuple tuple = {
    .local = { !net_addr_is_any (s->local.ip) ? s->local.ip : primary, s->local.port },
    .remote = remote,
  };
  gboolean take_over;
  if (!claim_tuple (c, host->tcp, &tuple, autobind, &take_over))
    return;
  start_connecting (c, host->tcp, &tuple, autobind, take_over);
}

/* Both kinds of write: data (wdata) or len filler bytes (wdata NULL). */
static void
write_call (Host *host, int fd, GBytes *data, gsize len, SockDoneFunc done, gpointer user)
{
  guint8 head[32];
  const guint8 *bytes = head;
  if (data != NULL)
    bytes = g_bytes_get_data (data, NULL);
  else
    fill (head, 0, MIN (len, sizeof head));
  GString *shown = g_string_new (NULL);
  if (call_args_traced (host->sockets))
    sim_text_append_escaped (shown, bytes, MIN (len, 32));
  Call *c = call_new (host->sockets, CALL_WRITE, fd, done, user, "%d, \"%s\"%s, %" G_GSIZE_FORMAT,
                      fd, shown->str, len > 32 ? "..." : "", len);
  g_string_free (shown, TRUE);
  c->wdata = data != NULL ? g_bytes_ref (data) : NULL;
  c->wlen = len;
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  if (s->type == SOCK_TYPE_DGRAM)
    {
      udp_send (c, host);
      return;
    }
  if (s->phase == SOCK_NEW || s->phase == SOCK_BOUND || s->phase == SOCK_LISTENING)
    {
      /* Linux tcp_sendmsg -> sk_stream_wait_connect: a socket neither
       * connected nor connecting gets its pending error, else EPIPE
       * (POSIX would say ENOTCONN; Linux does not). */
      if (s->so_error != 0)
        report_error (c);
      else
        call_fail (c, EPIPE, "the socket is not connected");
      call_finish_now (c);
      return;
    }
  if (len == 0)
    {
      call_ok (c, 0);
      call_finish_now (c);
      return;
    }
  call_submit (c);
}

void
sock_write (Host *host, int fd, GBytes *data, SockDoneFunc done, gpointer user)
{
  if (data == NULL)
    data = g_bytes_new (NULL, 0);
  else
    g_bytes_ref (data);
  write_call (host, fd, data, g_bytes_get_size (data), done, user);
  g_bytes_unref (data);
}

void
sock_write_filler (Host *host, int fd, gsize len, SockDoneFunc done, gpointer user)
{
  write_call (host, fd, NULL, len, done, user);
}

void
sock_read (Host *host, int fd, gsize max, SockDoneFunc done, gpointer user)
{
  Call *c = call_new (host->sockets, CALL_READ, fd, done, user, "%d, %" G_GSIZE_FORMAT, fd, max);
  c->max = max;
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  /* A UDP socket reads whatever reaches its port, connected or not. */
  if (s->type != SOCK_TYPE_DGRAM
      && (s->phase == SOCK_NEW || s->phase == SOCK_BOUND || s->phase == SOCK_LISTENING))
    {
      /* Linux tcp_recvmsg: ENOTCONN in LISTEN and in CLOSE before any
       * connection (no SOCK_DONE); POSIX recv: ENOTCONN. */
      call_fail (c, ENOTCONN, s->phase == SOCK_LISTENING ? "the socket is listening"
                                                          : "the socket is not connected");
      call_finish_now (c);
      return;
    }
  call_submit (c);
}

void
sock_shutdown (Host *host, int fd, SockShutdownHow how, SockDoneFunc done, gpointer user)
{
  static const char *const how_names[] = {
    [SOCK_SHUT_RD] = "SHUT_RD", [SOCK_SHUT_WR] = "SHUT_WR", [SOCK_SHUT_RDWR] = "SHUT_RDWR",
  };
  Call *c = call_new (host->sockets, CALL_SHUTDOWN, fd, done, user, "%d, %s", fd, how_names[how]);
  if (!check_fd (c))
    return;
  Sock *s = c->sock;
  gboolean rd = how == SOCK_SHUT_RD || how == SOCK_SHUT_RDWR;
  gboolean wr = how == SOCK_SHUT_WR || how == SOCK_SHUT_RDWR;
  /* Linux inet_shutdown (net/ipv4/af_inet.c) switches on sk_state:
   * "case TCP_LISTEN: if (!(how & RCV_SHUTDOWN)) break; fallthrough; case
   * TCP_SYN_SENT: err = sk->sk_prot->disconnect(sk, O_NONBLOCK);", both
   * returning 0; TCP_CLOSE gives ENOTCONN; every other state sets
   * sk_shutdown and calls tcp_shutdown. */
  if (s->phase == SOCK_LISTENING && !rd)
    {
      /* LISTEN + SHUT_WR: nothing to do. */
      call_ok (c, 0);
      call_finish_now (c);
      return;
    }
  if (s->phase == SOCK_LISTENING)
    {
      /* tcp_disconnect -> inet_csk_listen_stop (the queued connections are
       * reset, as on close) and TCP_CLOSE: the socket stops listening and
       * keeps its port only if bind() chose it (SOCK_BINDPORT_LOCK); it may
       * listen or connect again. Blocked accept()s get EINVAL. */
      TcpListener *l = s->listener;
      s->listener = NULL;
      tcp_listener_close (l);
      connect_failed (s); /* the same TCP_CLOSE bookkeeping */
      call_ok (c, 0);
      call_note (c, g_strdup ("the socket stopped listening (Linux inet_shutdown, "
                              "tcp_disconnect)"));
      call_finish_now (c);
      schedule_kick (s);
      return;
    }
  if (s->phase == SOCK_CONNECTING && s->conn != NULL
      && tcp_conn_state (s->conn) == TCP_STATE_SYN_SENT)
    {
      /* tcp_disconnect in SYN_SENT: no RST, "else if (old_state ==
       * TCP_SYN_SENT) sk->sk_err = ECONNRESET", TCP_CLOSE. A blocked
       * connect() reports that error. */
      TcpConn *conn = s->conn;
      s->conn = NULL;
      tcp_conn_abort (conn); /* RFC 9293 3.10.5 ABORT in SYN-SENT: no RST */
      connect_failed (s);
      s->so_error = ECONNRESET;
      call_ok (c, 0);
      call_note (c, g_strdup ("the connection attempt was abandoned (Linux inet_shutdown, "
                              "tcp_disconnect)"));
      call_finish_now (c);
      schedule_kick (s);
      return;
    }
  if (s->conn == NULL || (s->phase != SOCK_CONNECTED && s->phase != SOCK_CONNECTING))
    {
      /* sk_state TCP_CLOSE -> ENOTCONN: never connected, or the TCB went
       * away. */
      call_fail (c, ENOTCONN, "the socket is not connected");
      call_finish_now (c);
      return;
    }
  /* Connected, or SYN-RECEIVED after a simultaneous open (tcp_shutdown:
   * FIN from SYN_RECV too, RFC 9293 3.10.4 CLOSE). */
  if (rd)
    s->shut_rd = TRUE;
  if (wr && !s->shut_wr)
    {
      s->shut_wr = TRUE;
      tcp_conn_close (s->conn); /* RFC 9293 3.10.4 CLOSE: FIN after queued data */
    }
  call_ok (c, 0);
  call_finish_now (c);
  schedule_kick (s); /* blocked reads see EOF, blocked writes EPIPE */
}

static void
linger_timeout (gpointer data)
{
  Call *c = data;
  c->timer = SIM_EVENT_ID_NONE;
  c->timed_out = TRUE;
  sock_progress (c->sock);
}

static void close_sock (Call *c, gboolean exiting);

void
sock_close (Host *host, int fd, SockDoneFunc done, gpointer user)
{
  SockTable *t = host->sockets;
  Call *c = call_new (t, CALL_CLOSE, fd, done, user, "%d", fd);
  if (!check_fd (c))
    return;
  close_sock (c, FALSE);
}

guint
sock_process_exit (Host *host, guint pid, const char *how)
{
  SockTable *t = host->sockets;
  g_return_val_if_fail (pid < t->processes->len, 0);
  SockProcess *proc = g_ptr_array_index (t->processes, pid);
  guint n = 0;
  for (guint fd = 0; fd < t->fds->len; fd++)
    {
      Sock *s = g_ptr_array_index (t->fds, fd);
      n += s != NULL && s->pid == pid ? 1 : 0;
    }
  proc->exited = TRUE;
  SimTrace *trace = sim_engine_trace (table_engine (t));
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (table_engine (t)),
                                           "sock.exit", host->name);
      sim_trace_field_str (ev, "process", proc->name);
      sim_trace_field_int (ev, "uid", proc->uid);
      sim_trace_field_int (ev, "closed", n);
      sim_trace_text (ev, "process %s (uid %u) %s: the kernel closed its %u socket%s",
                      proc->name, proc->uid, how, n, n == 1 ? "" : "s");
      sim_trace_publish (trace, ev);
    }
  /* In descriptor order, as the kernel's close_files() walks the table. */
  for (guint fd = 0; fd < t->fds->len; fd++)
    {
      Sock *s = g_ptr_array_index (t->fds, fd);
      if (s == NULL || s->pid != pid)
        continue;
      Call *c = call_new (t, CALL_CLOSE, (int) fd, NULL, NULL, "%u", fd);
      close_sock (c, TRUE);
    }
  return n;
}

guint
sock_host_crash (Host *host)
{
  SockTable *t = host->sockets;
  SimEngine *engine = table_engine (t);
  GString *dropped = g_string_new (NULL);
  GPtrArray *listeners = g_ptr_array_new ();
  guint vanished = 0, discarded = 0;
  /* Every socket, zombies included (a close() blocked in SO_LINGER). */
  for (guint i = 0; i < t->socks->len; i++)
    {
      Sock *s = g_ptr_array_index (t->socks, i);
      Call *c;
      while ((c = g_queue_pop_head (&s->pending)) != NULL)
        {
          /* The process is dead: nobody waits for the result. */
          g_string_append_printf (dropped, "%s%s(%s)", discarded > 0 ? ", " : "",
                                  call_names[c->kind], c->args != NULL ? c->args : "");
          discarded++;
          call_free (c);
        }
      sim_engine_cancel_clear (engine, &s->kick);
      if (s->listener != NULL)
        g_ptr_array_add (listeners, s->listener);
      s->listener = NULL;
      if (s->conn != NULL)
        s->conn_gone = TRUE;
      s->conn = NULL; /* tcp_stack_crash frees the TCB */
      if (s->fd >= 0)
        {
          g_ptr_array_index (t->fds, s->fd) = NULL;
          s->fd = -1;
          vanished++;
        }
      s->phase = SOCK_CLOSED;
    }
  GString *procs = g_string_new (NULL);
  for (guint i = 0; i < t->processes->len; i++)
    {
      SockProcess *p = g_ptr_array_index (t->processes, i);
      if (!p->exited)
        g_string_append_printf (procs, "%s%s", procs->len > 0 ? ", " : "", p->name);
      p->exited = TRUE;
    }
  SimTrace *trace = sim_engine_trace (engine);
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (engine), "sock.crash",
                                           host->name);
      sim_trace_field_int (ev, "vanished", vanished);
      sim_trace_field_int (ev, "discarded", discarded);
      sim_trace_field_str (ev, "processes", procs->str);
      sim_trace_text (ev, "host %s crashed: process%s %s died; %u socket%s vanished without "
                      "close() and without a segment (no FIN, no RST: the peers are not told)",
                      host->name, strchr (procs->str, ',') != NULL ? "es" : "", procs->str,
                      vanished, vanished == 1 ? "" : "s");
      if (discarded > 0)
        sim_trace_text (ev, "; %u blocked call%s discarded, never to return: %s", discarded,
                        discarded == 1 ? "" : "s", dropped->str);
      sim_trace_publish (trace, ev);
    }
  g_string_free (procs, TRUE);
  g_string_free (dropped, TRUE);
  /* The TCBs, TIME-WAIT records and listeners vanish silently. */
  tcp_stack_crash (host->tcp);
  for (guint i = 0; i < listeners->len; i++)
    tcp_listener_close (g_ptr_array_index (listeners, i)); /* frees the dead listener */
  g_ptr_array_free (listeners, TRUE);
  return vanished;
}

void
sock_host_reboot (Host *host, SimTime quiet_time)
{
  SockTable *t = host->sockets;
  if (!tcp_stack_is_down (host->tcp))
    sock_host_crash (host);
  /* Process 0 is the host's own (init); it comes back with the host. */
  SockProcess *init = g_ptr_array_index (t->processes, 0);
  init->exited = FALSE;
  /* A fresh boot walks the ephemeral range from its start again. */
  t->port_cursor = t->config.port_low;
  SimEngine *engine = table_engine (t);
  SimTrace *trace = sim_engine_trace (engine);
  if (sim_trace_active (trace))
    {
      SimTraceEvent *ev = sim_trace_begin (trace, sim_engine_now (engine), "sock.reboot",
                                           host->name);
      sim_trace_field_int (ev, "quiet", quiet_time);
      sim_trace_text (ev, "host %s rebooted with no connections", host->name);
      if (quiet_time > 0)
        {
          GString *d = g_string_new (NULL);
          append_duration (d, quiet_time);
          sim_trace_text (ev, "; quiet time %s: it sends no segment before (RFC 793 3.3, "
                          "RFC 9293 3.4.3)", d->str);
          g_string_free (d, TRUE);
        }
      else
        sim_trace_text (ev, " and no quiet time (RFC 9293 3.4.3 describes one of an MSL)");
      sim_trace_publish (trace, ev);
    }
  tcp_stack_reboot (host->tcp, quiet_time);
}

/* Calls blocked on this descriptor end with EBADF. */
static void
fail_pending_calls (Sock *s, int fd)
{
  Call *p;
  while ((p = g_queue_pop_head (&s->pending)) != NULL)
    {
      call_fail (p, EBADF, "fd %d was closed", fd);
      call_complete (p);
    }
}

/* RFC 9293 3.10.4 CLOSE in LISTEN; Linux inet_csk_listen_stop resets
 * the connections still in the accept queue. */
static void
close_listener (Call *c)
{
  Sock *s = c->sock;
  TcpListener *l = s->listener;
  guint queued = tcp_listener_queue_length (l);
  s->listener = NULL;
  tcp_listener_close (l);
  call_ok (c, 0);
  if (queued > 0)
    call_note (c, g_strdup_printf ("%u connection%s not yet accepted %s reset "
                                   "(Linux inet_csk_listen_stop)", queued,
                                   queued == 1 ? "" : "s", queued == 1 ? "was" : "were"));
  call_finish_now (c);
}

/* close() resets the connection: RST, no TIME-WAIT. Takes `why`. */
static void
close_with_reset (Call *c, char *why)
{
  Sock *s = c->sock;
  tcp_conn_abort (s->conn);
  s->conn = NULL;
  s->conn_gone = TRUE;
  call_ok (c, 0);
  call_note (c, why);
  call_finish_now (c);
}

/* The closes that reset the connection instead of sending a FIN; returns
 * whether this is one (the call is then finished). */
static gboolean
close_aborts (Call *c)
{
  SockTable *t = c->table;
  Sock *s = c->sock;
  gsize unread = tcp_conn_readable (s->conn);
  if (unread > 0 && t->config.unread_close_rst)
    {
      /* RFC 9293 3.6.1 SHLD-2 (RFC 1122 4.2.2.13): a host whose CLOSE is
       * half-duplex (close() cannot read any more) "SHOULD send a RST to
       * show that data was lost" when received data is still pending.
       * Linux tcp_close(): data_was_unread -> tcp_send_active_reset(), and
       * XNU tcp_disconnect(): so_rcv.sb_cc != 0 -> tcp_drop(): RST, no
       * TIME-WAIT. FreeBSD and 4.4BSD tcp_disconnect() sbflush() the data
       * and send FIN (unread_close_rst off, models/personality.c). */
      close_with_reset (c, g_strdup_printf ("%" G_GSIZE_FORMAT " unread bytes: RST instead of FIN "
                                            "(RFC 9293 3.6.1 SHLD-2, unread_rst)", unread));
      return TRUE;
    }
  if (s->linger_on && s->linger_seconds == 0)
    {
      /* Linux __tcp_close: SOCK_LINGER with sk_lingertime 0 ->
       * tcp_disconnect(): RST, no TIME-WAIT (abortive close). */
      gsize unacked = tcp_conn_unacked (s->conn);
      close_with_reset (c, unacked == 0
                             ? g_strdup ("SO_LINGER 0: abortive close, RST and no TIME-WAIT; "
                                         "no written byte was lost")
                             : g_strdup_printf ("SO_LINGER 0: abortive close, RST and no "
                                                "TIME-WAIT; %" G_GSIZE_FORMAT " written bytes "
                                                "not yet acknowledged are thrown away",
                                                unacked));
      return TRUE;
    }
  return FALSE;
}

/* socket(7) SO_LINGER: close() does not return until everything
 * queued is acknowledged or the linger time passes. */
static void
linger_before_returning (Call *c)
{
  Sock *s = c->sock;
  c->timer = sim_engine_schedule_after (table_engine (c->table),
                                        (SimTime) s->linger_seconds * SIM_S,
                                        linger_timeout, c);
  if (try_linger_close (c))
    call_complete (c);
  else
    call_block (c);
}

/* Orderly close: FIN after the queued data (RFC 9293 3.10.4). */
static void
close_orderly (Call *c, gboolean exiting)
{
  Sock *s = c->sock;
  if (!s->shut_wr)
    {
      s->shut_wr = TRUE;
      tcp_conn_close (s->conn); /* may release the TCB (SYN-SENT: deleted) */
    }
  if (s->linger_on && s->conn != NULL && exiting)
    {
      /* socket(7): "When the socket is closed as part of exit(2), it
       * always lingers in the background." */
      orphan_conn (s);
      call_ok (c, 0);
      call_note (c, g_strdup ("closed by exit(): SO_LINGER lingers in the background"));
      call_finish_now (c);
      return;
    }
  if (s->linger_on && s->conn != NULL)
    {
      linger_before_returning (c);
      return;
    }
  orphan_conn (s);
  call_ok (c, 0);
  call_finish_now (c);
}

/* close(), or the implicit close of exit(2) (`exiting`: never blocks). */
static void
close_sock (Call *c, gboolean exiting)
{
  SockTable *t = c->table;
  Sock *s = c->sock;
  int fd = c->fd;
  g_ptr_array_index (t->fds, fd) = NULL;
  s->fd = -1;
  s->phase = SOCK_CLOSED;
  fail_pending_calls (s, fd);

  if (s->listener != NULL)
    {
      close_listener (c);
      return;
    }
  if (s->conn == NULL)
    {
      call_ok (c, 0);
      call_finish_now (c);
      return;
    }
  if (close_aborts (c))
    return;
  close_orderly (c, exiting);
}

guint64
sock_conn_id (Host *host, guint64 sock_id)
{
  SockTable *t = host->sockets;
  if (sock_id == 0 || sock_id > t->socks->len)
    return 0;
  Sock *s = g_ptr_array_index (t->socks, sock_id - 1);
  return s->conn_id;
}
