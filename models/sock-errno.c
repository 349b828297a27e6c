/* sock-errno.c: errno values by name, for narration and the trace. */
#include "socket.h"

#include <errno.h>

#define E(name) { name, #name }

static const struct {
  int err;
  const char *name;
} errno_names[] = {
  E (EBADF),        E (EINVAL),       E (ENOTCONN),     E (EISCONN),
  E (ECONNREFUSED), E (ECONNRESET),   E (EPIPE),        E (ETIMEDOUT),
  E (EADDRINUSE),   E (EADDRNOTAVAIL), E (EAGAIN),      E (EALREADY),
  E (EINPROGRESS),  E (ENOTSOCK),     E (EOPNOTSUPP),   E (EAFNOSUPPORT),
  E (ECONNABORTED), E (EACCES),       E (EPERM),        E (EMFILE),
  E (ENOBUFS),      E (EHOSTUNREACH), E (ENETUNREACH),  E (EINTR),
  E (ENETDOWN),     E (EHOSTDOWN),    E (EDESTADDRREQ), E (EFAULT),
  E (ENOPROTOOPT),  E (EPROTONOSUPPORT),
};

#undef E

const char *
sock_errno_name (int err)
{
  /* Linear and in table order: where two names share a value (EAGAIN and
   * EWOULDBLOCK, EOPNOTSUPP and ENOTSUP on Linux) the listed one wins. */
  for (gsize i = 0; i < G_N_ELEMENTS (errno_names); i++)
    if (errno_names[i].err == err)
      return errno_names[i].name;
  return "E?";
}
