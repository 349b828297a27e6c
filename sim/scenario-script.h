/* scenario-script.h: the parsed form (AST) of a scenario file.
 *
 * The parser (scenario-parser.h) builds it; the runner walks it. Every node
 * carries the file:line:col it came from so that runtime failures can point
 * back into the scenario. All strings and arrays belong to the script, but
 * for the names a script repeats on every line (hosts, socket variables,
 * identifiers), which are interned: a program of 10^6 lines keeps each once. */
#pragma once

#include <glib.h>

#include "sim-time.h"

G_BEGIN_DECLS

/* A position in a scenario file: line and column are 1-based, the column
 * counts bytes. `file` points at ScenarioScript.path. */
typedef struct {
  const char *file;
  guint line;
  guint col;
} ScenarioLoc;

/* An address as written: IPv4 (family SCENARIO_ADDR_IPV4, bytes[0..3]) or
 * IPv6 (SCENARIO_ADDR_IPV6, all 16), network order; zero bytes are the
 * wildcard. The runner hands it to the model as a NetAddr (same layout). */
typedef enum {
  SCENARIO_ADDR_IPV4 = 0,
  SCENARIO_ADDR_IPV6 = 1,
} ScenarioAddrFamily;

typedef struct {
  guint8 family;    /* ScenarioAddrFamily */
  guint8 bytes[16];
} ScenarioAddr;

ScenarioAddr scenario_addr_ip4       (guint32 host_order);
guint32      scenario_addr_ip4_value (ScenarioAddr addr); /* 0 for IPv6 */
gboolean     scenario_addr_is_any    (ScenarioAddr addr);
gboolean     scenario_addr_equal     (ScenarioAddr a, ScenarioAddr b);
/* 127.0.0.0/8 or ::1. */
gboolean     scenario_addr_is_loopback (ScenarioAddr addr);
/* Dotted quad, or RFC 5952 text for IPv6. */
void         scenario_addr_append    (GString *out, ScenarioAddr addr);
/* The len bytes at text as an IPv6 address (RFC 4291 2.2). */
gboolean     scenario_addr_parse_ip6 (const char *text, gsize len, ScenarioAddr *out);

typedef enum {
  SCENARIO_ARG_IDENT,    /* ident: a variable or a constant like SO_REUSEADDR */
  SCENARIO_ARG_INT,      /* num */
  SCENARIO_ARG_STRING,   /* bytes (may contain NUL) */
  SCENARIO_ARG_ENDPOINT, /* ip (the wildcard for '*' and [::]) and port */
  SCENARIO_ARG_PAIR,     /* pair[0], pair[1], from {INT, INT} */
} ScenarioArgKind;

/* One member of the union per kind: read only the one of arg->kind. A
 * scenario of 10^6 lines keeps millions of arguments. */
typedef struct {
  ScenarioLoc loc;
  ScenarioArgKind kind;
  union {
    const char *ident;  /* IDENT: interned (g_intern_string) */
    gint64 num;         /* INT */
    GBytes *bytes;      /* STRING */
    struct {
      ScenarioAddr ip;  /* ENDPOINT */
      guint16 port;
    };
    gint64 pair[2];     /* PAIR */
  };
} ScenarioArg;

typedef enum {
  SCENARIO_CALL_SOCKET,
  SCENARIO_CALL_SETSOCKOPT,
  SCENARIO_CALL_BIND,
  SCENARIO_CALL_LISTEN,
  SCENARIO_CALL_ACCEPT,
  SCENARIO_CALL_CONNECT,
  SCENARIO_CALL_WRITE,
  SCENARIO_CALL_READ,
  SCENARIO_CALL_SHUTDOWN,
  SCENARIO_CALL_CLOSE,
  SCENARIO_CALL_EXIT,     /* exit(): the process ends; the kernel closes its sockets */
  SCENARIO_CALL_FCNTL,    /* fcntl(V, F_SETFL, O_NONBLOCK or 0) */
  SCENARIO_CALL_GETSOCKOPT, /* getsockopt(V, SO_ERROR, EXPECTED): 0 or an errno name */
} ScenarioCallKind;

/* One socket call: `[assign_to =] name(args) [= result]`. The parser has
 * checked the argument count and kinds, so args[0] of every call but
 * socket() is the SCENARIO_ARG_IDENT socket variable. */
typedef struct {
  ScenarioLoc loc;         /* of the call's first token */
  ScenarioCallKind kind;
  guint n_args;
  ScenarioArg *args;       /* n_args of them, in one block (scenario_call_add_arg) */
  const char *assign_to;   /* interned (g_intern_string), or NULL */
  gboolean has_expect;     /* FALSE: the result is not checked */
  gboolean expect_any_fd;  /* expect_ret >= 0 names the script's fd: any
                            * non-negative result holds (packetdrill's
                            * CHECK_NON_NEGATIVE for socket() and accept()) */
  gint64 expect_ret;       /* >= 0, or -1 with expect_errno */
  int expect_errno;        /* <errno.h> value, 0 unless expect_ret == -1 */
  gboolean has_return_window; /* packetdrill START...END: the call returns */
  const char *expect_errno_name; /* static, e.g. "ECONNREFUSED", or NULL */
  GBytes *expect_data;     /* read(): the bytes expected, or NULL */
  SimTime return_lo, return_hi; /* within [lo, hi] (set by the .pkt reader only) */
} ScenarioCall;

typedef enum {
  SCENARIO_STEP_CALLS,        /* host, calls */
  SCENARIO_STEP_FAULT,        /* from, to, action, flags, needs_data */
  SCENARIO_STEP_EXPECT_STATE, /* host, var, state */
  SCENARIO_STEP_EXPECT_READ,  /* host, var, expect_bytes */
  SCENARIO_STEP_EXPECT_VERDICT, /* verdict, negated, host and var (optional) */
  SCENARIO_STEP_CRASH,        /* host: `TIME crash HOST` */
  SCENARIO_STEP_REBOOT,       /* host, quiet_time: `TIME reboot HOST [quiet=D]` */
  SCENARIO_STEP_INJECT,       /* segment: `TIME inject SRC -> DST FLAGS ...` */
  SCENARIO_STEP_EXPECT_SEGMENT, /* host (the sender), segment, time_lo, time_hi */
} ScenarioStepKind;

typedef enum {
  SCENARIO_FAULT_DROP,
  SCENARIO_FAULT_DUPLICATE,  /* fault_delay: copy_delay; copies */
  SCENARIO_FAULT_DELAY,      /* fault_delay: by */
  SCENARIO_FAULT_HOLD,       /* hold_until: until (absolute) */
} ScenarioFaultAction;

/* What `expect [no] corruption|hazard NAME` checks against the verdicts
 * found so far. */
typedef enum {
  SCENARIO_VERDICT_CORRUPTION,    /* RFC 1337 H1: stale bytes read */
  SCENARIO_VERDICT_H2,            /* RFC 1337 H2: desynchronised ACK loop */
  SCENARIO_VERDICT_H3,            /* RFC 1337 H3: new connection killed */
  SCENARIO_VERDICT_ASSASSINATION, /* RFC 1337 TWA: RST closed TIME-WAIT */
  SCENARIO_VERDICT_REUSE,         /* 4-tuple reused after TIME-WAIT was cut short */
} ScenarioVerdictKind;

/* TCP header flag bits, as on the wire. */
#define SCENARIO_TCP_FIN 0x01
#define SCENARIO_TCP_SYN 0x02
#define SCENARIO_TCP_RST 0x04
#define SCENARIO_TCP_PSH 0x08
#define SCENARIO_TCP_ACK 0x10
#define SCENARIO_TCP_URG 0x20

/* A TCP option as written in a segment line. */
typedef enum {
  SCENARIO_OPT_EOL,
  SCENARIO_OPT_NOP,
  SCENARIO_OPT_MSS,      /* value */
  SCENARIO_OPT_WSCALE,   /* value */
  SCENARIO_OPT_SACK_OK,
  SCENARIO_OPT_TS,       /* value = TSval, ecr = TSecr */
} ScenarioOptionKind;

typedef struct {
  ScenarioOptionKind kind;
  guint32 value;
  guint32 ecr;
} ScenarioOption;

/* The segment of an `inject` (every field given or 0) or an `expect
 * segment` (only the fields marked has_* are checked). */
typedef struct {
  ScenarioAddr src_ip, dst_ip; /* expect: dst_ip 0.0.0.0 = any destination */
  guint16 src_port, dst_port; /* expect: dst_port 0 = any */
  guint8 flags;             /* SCENARIO_TCP_*; expect: exactly these */
  gboolean has_seq, has_ack, has_win, has_len;
  guint32 seq, ack, win, len;
  GBytes *payload;          /* inject: the data; expect: the exact bytes; or NULL */
  gboolean has_options;     /* FALSE: inject none; expect: not checked */
  GArray *options;          /* ScenarioOption, in order (has_options) */
  gboolean direct;          /* inject: straight into the host, not over the link */
  /* Set by the packetdrill reader only: seq (outbound) and ack (inbound)
   * count from the ISN the host under test chose, TS ecr (inbound) maps
   * script TS values to live ones, and windows are scaled (RFC 7323 2.3). */
  gboolean relative;
  char *text;               /* the line as written, for messages, or NULL */
} ScenarioSegment;

ScenarioSegment *scenario_segment_new  (void);
void             scenario_segment_free (ScenarioSegment *seg);
/* "SYN,ACK seq=1 ack=2 win=100 len=0 <mss 1460,nop>" (fields given only). */
void             scenario_segment_append (GString *out, const ScenarioSegment *seg);

/* One timed line. A fault matches the next segment from `from` to `to` that
 * has every bit of `flags` set (and a payload if needs_data); flags == 0 and
 * !needs_data is the selector `any`. */
typedef struct {
  ScenarioStepKind kind;
  ScenarioLoc loc;     /* of the time token */
  SimTime time;        /* absolute, relative times already resolved */
  const char *host;    /* CALLS, EXPECT_*, CRASH, REBOOT; NULL for FAULT;
                        * interned (g_intern_string), like var */
  ScenarioCall *calls; /* CALLS: n_calls of them, in one block (scenario_step_add_call) */
  guint n_calls;
  char *from, *to;     /* FAULT */
  ScenarioFaultAction action;
  guint8 flags;
  gboolean needs_data;
  gboolean has_seq;    /* FAULT options: seq=LO[-HI] */
  guint32 seq_lo, seq_hi;
  GBytes *payload;     /* FAULT option payload="..", or NULL */
  guint nth;           /* FAULT option nth=N (0: the next one) */
  guint copies;        /* DUPLICATE option copies=N (0: one) */
  SimTime fault_delay; /* DUPLICATE copy_delay=, DELAY by= */
  SimTime hold_until;  /* HOLD until= (absolute) */
  ScenarioVerdictKind verdict; /* EXPECT_VERDICT */
  gboolean negated;    /* EXPECT_VERDICT: `expect no ...` */
  const char *var;     /* EXPECT_*; NULL for an EXPECT_VERDICT without HOST VAR */
  char *state;         /* EXPECT_STATE: RFC 9293 name, e.g. "TIME-WAIT" */
  GBytes *expect_bytes; /* EXPECT_READ */
  SimTime quiet_time;  /* REBOOT: RFC 9293 3.4.3 quiet time (0: none) */
  ScenarioSegment *segment; /* INJECT, EXPECT_SEGMENT */
  SimTime time_lo, time_hi; /* EXPECT_SEGMENT: sent within [lo, hi] */
  gboolean time_relative; /* packetdrill `+t` or `*`: when an earlier `>` line's
                             packet comes at another time than its own, this line
                             moves with it (run.c adjust_relative_event_times) */
} ScenarioStep;

/* key=value as written; the parser does not interpret either. */
typedef struct {
  char *key;
  char *value;
  ScenarioLoc key_loc;
  ScenarioLoc value_loc;
} ScenarioSetting;

typedef struct {
  char *name;
  ScenarioLoc loc;
  gboolean scripted;   /* `peer`: no TCP stack, swallows what it receives */
  GArray *addrs;       /* ScenarioAddr; at least one */
  GPtrArray *settings; /* ScenarioSetting*, in file order, keys unique */
} ScenarioHost;

/* `process NAME on HOST [uid=N]`: a program of its own on HOST, owning the
 * sockets it creates. A timed line's subject is a host (its default
 * process, uid 0) or a process name. */
typedef struct {
  char *name;
  char *host;
  guint uid;
  ScenarioLoc loc;
} ScenarioProcess;

/* One `link` line. Several lines may name the same pair: the runner applies
 * them in file order, later settings overriding earlier ones. */
typedef struct {
  char *from;
  char *to;
  gboolean both_directions; /* `link A B` rather than `link A->B` */
  ScenarioLoc loc;
  GPtrArray *settings;      /* ScenarioSetting* */
} ScenarioLink;

typedef struct {
  char *path;
  gboolean has_seed;
  guint64 seed;
  ScenarioLoc seed_loc;
  GPtrArray *hosts; /* ScenarioHost*, in file order */
  GPtrArray *processes; /* ScenarioProcess*, in file order */
  GPtrArray *links; /* ScenarioLink*, in file order */
  GPtrArray *steps; /* ScenarioStep*, in non-decreasing time order */
  gboolean sequential; /* packetdrill: a line waits while an earlier `>` line
                          waits for its packet (set by the .pkt reader) */
  gboolean has_end; /* `TIME end`: the run stops at end_time, after the */
  SimTime end_time; /* expectations of that instant; no timed line follows */
  ScenarioLoc end_loc;
  struct _ScenarioIndex *index; /* lookups by name and address (scenario-index.h) */
} ScenarioScript;

ScenarioScript  *scenario_script_new       (const char *path);
void             scenario_script_free      (ScenarioScript *script);
const ScenarioHost *scenario_script_find_host (const ScenarioScript *script,
                                               const char           *name);
const ScenarioProcess *scenario_script_find_process (const ScenarioScript *script,
                                                     const char           *name);
ScenarioProcess *scenario_process_new      (const char *name, const char *host, guint uid,
                                            const ScenarioLoc *loc);
void             scenario_process_free     (ScenarioProcess *process);
/* The host owning address ip, or NULL. */
const ScenarioHost *scenario_script_find_address (const ScenarioScript *script,
                                                  ScenarioAddr          ip);
/* Does the host have an address of this family? */
gboolean scenario_host_has_family (const ScenarioHost *host, ScenarioAddrFamily family);
/* The last setting with this key, or NULL. */
const ScenarioSetting *scenario_settings_find (const GPtrArray *settings,
                                               const char      *key);
/* Sets key=value: replaces the value of the last setting with that key, or
 * appends one (located at loc) when there is none. For overrides from
 * outside the file (`twsim matrix`, `twsim sweep --vary`). */
void scenario_settings_put (GPtrArray *settings, const char *key, const char *value,
                            const ScenarioLoc *loc);
/* Writes the script back in canonical scenario syntax (absolute times in
 * the largest exact unit), one line per directive: for tests and debugging. */
void             scenario_script_dump      (const ScenarioScript *script,
                                            GString              *out);

ScenarioArg     *scenario_arg_new          (ScenarioArgKind kind, const ScenarioLoc *loc);
void             scenario_arg_free         (ScenarioArg *arg);
/* Moves *arg (from scenario_arg_new) to the end of the call's arguments
 * and frees the shell. */
void             scenario_call_add_arg     (ScenarioCall *call, ScenarioArg *arg);
/* Moves *call (from scenario_call_new) to the end of the step's calls and
 * frees the shell. */
void             scenario_step_add_call    (ScenarioStep *step, ScenarioCall *call);
ScenarioCall    *scenario_call_new         (ScenarioCallKind kind, const ScenarioLoc *loc);
void             scenario_call_free        (ScenarioCall *call);
ScenarioStep    *scenario_step_new         (ScenarioStepKind kind, const ScenarioLoc *loc,
                                            SimTime time);
void             scenario_step_free        (ScenarioStep *step);
ScenarioSetting *scenario_setting_new      (const char *key, const ScenarioLoc *key_loc,
                                            const char *value, const ScenarioLoc *value_loc);
void             scenario_setting_free     (ScenarioSetting *setting);
ScenarioHost    *scenario_host_new         (const char *name, const ScenarioLoc *loc);
void             scenario_host_free        (ScenarioHost *host);
ScenarioLink    *scenario_link_new         (const char *from, const char *to,
                                            gboolean both_directions, const ScenarioLoc *loc);
void             scenario_link_free        (ScenarioLink *link);

/* Names as written in scenarios: "setsockopt", "drop". */
const char      *scenario_call_kind_to_string    (ScenarioCallKind kind);
const char      *scenario_fault_action_to_string (ScenarioFaultAction action);
/* "corruption", "H2", "H3", "assassination", "reuse". */
const char      *scenario_verdict_kind_to_string (ScenarioVerdictKind kind);
/* Appends a duration in the largest unit that is exact: "50ms", "1500us". */
void             scenario_time_append            (GString *out, SimTime t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioScript, scenario_script_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioArg, scenario_arg_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioCall, scenario_call_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioStep, scenario_step_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioSetting, scenario_setting_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioHost, scenario_host_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScenarioLink, scenario_link_free)

G_END_DECLS
