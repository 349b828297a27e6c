/* bind-rules.h: may a socket take a local address:port that others hold?
 * One rule set per operating-system personality, chosen by BindRuleSet; the
 * socket layer asks once per holder of the port (other sockets of the host,
 * TCBs and TIME-WAIT records) and fails with EADDRINUSE on the first
 * conflict, quoting the plain-words reason. */
#pragma once

#include "net-addr.h"
#include "tcp-state.h"

G_BEGIN_DECLS

/* Flags stored with tcp_conn_set_bind_flags and kept by TIME-WAIT records. */
#define BIND_FLAG_REUSEADDR 0x1u /* SO_REUSEADDR */
#define BIND_FLAG_REUSEPORT 0x2u /* SO_REUSEPORT */

typedef enum {
  BIND_RULES_LINUX,  /* net/ipv4/inet_connection_sock.c inet_bind_conflict() */
  /* Later: BIND_RULES_BSD (in_pcbbind_setup), BIND_RULES_TEXTBOOK. */
} BindRuleSet;

typedef enum {
  BIND_HOLDER_SOCKET, /* another socket of the host (bound, listening, connected) */
  BIND_HOLDER_TCB,    /* a TCB or TIME-WAIT record from tcp_stack_foreach_on_port */
} BindHolderKind;

/* Somebody already using the port. */
typedef struct {
  BindHolderKind kind;
  int fd;             /* SOCKET: its descriptor */
  TcpState state;     /* LISTEN; CLOSED for a socket that is only bound;
                         SYN-SENT..TIME-WAIT for connections */
  NetEndpoint local;
  NetEndpoint remote; /* port 0 when there is no peer */
  guint bind_flags;   /* BIND_FLAG_* */
} BindHolder;

/* The socket that wants the port. */
typedef struct {
  NetEndpoint local;
  guint bind_flags;   /* BIND_FLAG_* */
  TcpState state;     /* CLOSED for bind(), LISTEN for the re-check in listen() */
  gboolean autobind;  /* the port is being chosen by the stack (port 0,
                         listen/connect on an unbound socket) */
} BindRequest;

/* TRUE when `holder` keeps `req` off the port; then *reason (if not NULL)
 * gets a plain-words explanation (caller frees), e.g. "port 80 is held by a
 * TIME-WAIT record of 10.0.0.2:80-10.0.0.1:4000 created without SO_REUSEADDR". */
gboolean    bind_rules_conflict (BindRuleSet rules, const BindRequest *req,
                                 const BindHolder *holder, char **reason);
const char *bind_rule_set_name  (BindRuleSet rules);

G_END_DECLS
