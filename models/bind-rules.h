/* bind-rules.h: may a socket take a local address:port that others hold?
 * One rule set per operating-system personality, chosen by BindRuleSet; the
 * socket layer asks once per holder of the port (other sockets of the host,
 * TCBs and TIME-WAIT records) and fails on the first conflict with the errno
 * returned here, quoting the plain-words reason. */
#pragma once

#include "net-addr.h"
#include "tcp-state.h"

G_BEGIN_DECLS

/* Flags stored with tcp_conn_set_bind_flags and kept by TIME-WAIT records. */
#define BIND_FLAG_REUSEADDR 0x1u /* SO_REUSEADDR */
#define BIND_FLAG_REUSEPORT 0x2u /* SO_REUSEPORT */
#define BIND_FLAG_EXCLUSIVE 0x4u /* SO_EXCLUSIVEADDRUSE (Windows) */

/* An owner we do not know (a TCB whose socket is unknown): owner checks
 * treat it as the same user. */
#define BIND_UID_UNKNOWN G_MAXUINT

typedef enum {
  BIND_RULES_LINUX,    /* net/ipv4/inet_connection_sock.c inet_bind_conflict() */
  BIND_RULES_BSD,      /* FreeBSD in_pcbbind_setup(), XNU in_pcbbind() (4.3) */
  BIND_RULES_WINDOWS,  /* the Winsock/WSK documentation tables */
  BIND_RULES_TEXTBOOK, /* BSD, and SO_REUSEADDR discards TIME-WAIT records */
} BindRuleSet;

typedef enum {
  BIND_PROTO_TCP, /* SOCK_STREAM */
  BIND_PROTO_UDP, /* SOCK_DGRAM: bind() only; its own port space */
} BindProto;

typedef enum {
  BIND_HOLDER_SOCKET, /* another socket of the host (bound, listening, connected) */
  BIND_HOLDER_TCB,    /* a TCB or TIME-WAIT record from tcp_stack_foreach_on_port */
} BindHolderKind;

/* Somebody already using the port. */
typedef struct {
  BindHolderKind kind;
  BindProto proto;
  int fd;             /* SOCKET: its descriptor */
  TcpState state;     /* LISTEN; CLOSED for a socket that is only bound;
                         SYN-SENT..TIME-WAIT for connections */
  NetEndpoint local;
  NetEndpoint remote; /* port 0 when there is no peer */
  guint bind_flags;   /* BIND_FLAG_* */
  guint uid;          /* owner's user, or BIND_UID_UNKNOWN */
  const char *owner;  /* process name for the narration, or NULL */
  gboolean v6only;    /* an IPv6 socket with IPV6_V6ONLY (RFC 3493 5.3) */
} BindHolder;

/* The socket that wants the port. */
typedef struct {
  BindProto proto;
  NetEndpoint local;
  guint bind_flags;   /* BIND_FLAG_* */
  TcpState state;     /* CLOSED for bind(), LISTEN for the re-check in listen() */
  gboolean autobind;  /* the port is being chosen by the stack (port 0,
                         listen/connect on an unbound socket) */
  guint uid;          /* the user of the calling process (0 = root) */
  gboolean v6only;    /* an IPv6 socket with IPV6_V6ONLY (RFC 3493 5.3) */
} BindRequest;

/* 0 when `holder` leaves `req` alone; else the errno bind() fails with
 * (EADDRINUSE, or EACCES for Windows' "denied"), and *reason (if not NULL)
 * gets a plain-words explanation (caller frees), e.g. "port 80 is held by a
 * TIME-WAIT record of 10.0.0.2:80-10.0.0.1:4000 created without
 * SO_REUSEADDR". Holders of the other protocol never conflict. */
int         bind_rules_check    (BindRuleSet rules, const BindRequest *req,
                                 const BindHolder *holder, char **reason);
/* TRUE when bind_rules_check gives an error. */
gboolean    bind_rules_conflict (BindRuleSet rules, const BindRequest *req,
                                 const BindHolder *holder, char **reason);
const char *bind_rule_set_name  (BindRuleSet rules);
gboolean    bind_rule_set_from_name (const char *name, BindRuleSet *out);
/* "linux, bsd, windows, textbook" */
const char *bind_rule_set_names (void);

G_END_DECLS
