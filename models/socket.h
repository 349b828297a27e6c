/* socket.h: the BSD socket API of one host, as a program sees it. Every
 * call completes through a SockDoneFunc: at once (before the call returns)
 * or later in virtual time when it blocks (connect, accept, read, write with
 * a full buffer, close with SO_LINGER). Results follow POSIX: ret >= 0, or
 * ret = -1 with err set to an <errno.h> value. */
#pragma once

#include "host.h"
#include "bind-rules.h"

G_BEGIN_DECLS

/* What close() with SO_LINGER {1, N > 0} does when N seconds pass before
 * everything is acknowledged. */
typedef enum {
  SOCK_LINGER_TIMEOUT_ORPHAN, /* close() returns 0, the stack keeps sending
                                 (Linux __tcp_close, 4.4BSD soclose) */
  SOCK_LINGER_TIMEOUT_ABORT,  /* RST (UNP 7.5, Bernat) */
} SockLingerTimeout;

/* The socket-layer half of a personality (the TCP half is TcpConfig). */
typedef struct {
  guint16 port_low, port_high;   /* ephemeral ports, inclusive */
  BindRuleSet bind_rules;
  guint tw_reuse;                /* Linux tcp_tw_reuse: 0 off, 1 on, 2 loopback only;
                                    consulted by connect() on an unbound socket
                                    (tcp_twsk_unique) */
  SimTime tw_reuse_delay;        /* Linux tcp_tw_reuse_delay: a TIME-WAIT record must
                                    be this old before tw_reuse takes it (1000 ms) */
  SockLingerTimeout linger_timeout;
  gboolean unread_close_rst;     /* close() with unread data sends RST instead
                                    of FIN (RFC 9293 3.6.1 SHLD-2; Linux tcp_close,
                                    XNU tcp_disconnect; not FreeBSD) */
  int connect_dup_errno;         /* connect() to a 4-tuple in use: EADDRNOTAVAIL
                                    (Linux) or EADDRINUSE (BSD) */
  gboolean reserved_ports;       /* ports below 1024 need uid 0 (EACCES) */
} SockConfig;

typedef enum {
  SOCK_TYPE_STREAM, /* TCP */
  SOCK_TYPE_DGRAM,  /* UDP: socket(), setsockopt(), bind() and close() only */
} SockType;

/* Linux 6.x defaults (what a host gets when nothing else is said). */
void     sock_config_init_linux (SockConfig *config);
/* Sets the socket layer's personality; call before any socket exists. */
void     sock_configure      (Host *host, const SockConfig *config);
const SockConfig *sock_config (Host *host);

typedef enum {
  SOCK_OPT_REUSEADDR,
  SOCK_OPT_REUSEPORT,
  SOCK_OPT_KEEPALIVE,
  SOCK_OPT_NODELAY,
  SOCK_OPT_EXCLUSIVEADDRUSE, /* Windows */
} SockOption;

typedef enum {
  SOCK_SHUT_RD,
  SOCK_SHUT_WR,
  SOCK_SHUT_RDWR,
} SockShutdownHow;

typedef struct {
  gint64 ret;           /* fd, byte count or 0; -1 on error */
  int err;              /* errno when ret == -1, else 0 */
  guint64 sock_id;      /* socket()/accept(): the new socket's id */
  GBytes *data;         /* read(): the bytes (may be empty), else NULL */
  GArray *spans;        /* read(): TcpByteSpan origin of the bytes, else NULL */
  const char *why;      /* plain-words reason for a failure, or NULL */
  int value;            /* getsockopt(): the option's value */
} SockResult;

typedef void (*SockDoneFunc) (const SockResult *result, gpointer user);

void     sock_socket         (Host *host, SockDoneFunc done, gpointer user);

/* Processes. Process 0 ("NAME of the host", uid 0) always exists and owns
 * the sockets sock_socket() creates. A process that exited stays known (its
 * sockets' TIME-WAIT records still name it) but owns no open socket. */
guint    sock_process_new    (Host *host, const char *name, guint uid);
/* socket() in process pid. */
void     sock_socket_in      (Host *host, guint pid, SockType type, SockDoneFunc done, gpointer user);
/* exit(2) or a crash of the process (`how`: "exited", "crashed"): every open
 * socket of it is closed as close() would, except that SO_LINGER {1, N}
 * lingers in the background (socket(7)). Publishes one sock.call per
 * socket. Returns how many sockets were closed. */
guint    sock_process_exit   (Host *host, guint pid, const char *how);
/* The host crashed: every process dies and every socket vanishes without
 * close() and without a segment; blocked calls are discarded (their
 * SockDoneFunc is never called: they belonged to dead processes). Then the
 * TCP stack crashes (tcp_stack_crash) and stays down until
 * sock_host_reboot. Publishes "sock.crash". Returns how many sockets
 * vanished. */
guint    sock_host_crash     (Host *host);
/* The host is up again with no socket and no process but process 0; RFC
 * 793 3.3 / RFC 9293 3.4.3 quiet time (tcp_stack_reboot). Crashes first if
 * it was up. New programs call sock_process_new. */
void     sock_host_reboot    (Host *host, SimTime quiet_time);
void     sock_setsockopt     (Host *host, int fd, SockOption option, int value, SockDoneFunc done, gpointer user);
void     sock_set_linger     (Host *host, int fd, gboolean on, int seconds, SockDoneFunc done, gpointer user);
/* fcntl(fd, F_SETFL, O_NONBLOCK or 0): calls that would block fail at once
 * (connect EINPROGRESS, accept/read/write EAGAIN). */
void     sock_set_nonblock   (Host *host, int fd, gboolean on, SockDoneFunc done, gpointer user);
/* getsockopt(fd, SOL_SOCKET, SO_ERROR): result.value is the pending errno
 * (0 if none), which reading clears. */
void     sock_get_error      (Host *host, int fd, SockDoneFunc done, gpointer user);
void     sock_bind           (Host *host, int fd, NetEndpoint local, SockDoneFunc done, gpointer user);
void     sock_listen         (Host *host, int fd, int backlog, SockDoneFunc done, gpointer user);
void     sock_accept         (Host *host, int fd, SockDoneFunc done, gpointer user);
void     sock_connect        (Host *host, int fd, NetEndpoint remote, SockDoneFunc done, gpointer user);
void     sock_write          (Host *host, int fd, GBytes *data, SockDoneFunc done, gpointer user);
void     sock_read           (Host *host, int fd, gsize max, SockDoneFunc done, gpointer user);
void     sock_shutdown       (Host *host, int fd, SockShutdownHow how, SockDoneFunc done, gpointer user);
void     sock_close          (Host *host, int fd, SockDoneFunc done, gpointer user);

/* The connection id (TcpConn or TcpListener) a socket has, or last had; 0 if
 * none. Stays answerable after close(). */
guint64  sock_conn_id        (Host *host, guint64 sock_id);
/* Name of an errno value as in <errno.h>: "ECONNREFUSED". */
const char *sock_errno_name  (int err);

G_END_DECLS
