/* socket.h: the BSD socket API of one host, as a program sees it. Every
 * call completes through a SockDoneFunc: at once (before the call returns)
 * or later in virtual time when it blocks (connect, accept, read, write with
 * a full buffer, close with SO_LINGER). Results follow POSIX: ret >= 0, or
 * ret = -1 with err set to an <errno.h> value. */
#pragma once

#include "host.h"

G_BEGIN_DECLS

typedef enum {
  SOCK_OPT_REUSEADDR,
  SOCK_OPT_REUSEPORT,
  SOCK_OPT_KEEPALIVE,
  SOCK_OPT_NODELAY,
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
} SockResult;

typedef void (*SockDoneFunc) (const SockResult *result, gpointer user);

void     sock_socket         (Host *host, SockDoneFunc done, gpointer user);
void     sock_setsockopt     (Host *host, int fd, SockOption option, int value, SockDoneFunc done, gpointer user);
void     sock_set_linger     (Host *host, int fd, gboolean on, int seconds, SockDoneFunc done, gpointer user);
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
