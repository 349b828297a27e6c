/* net-bench.h: two hosts on one link for socket-layer tests: "srv"
 * (10.0.0.2, 2001:db8::2) and "cli" (10.0.0.1, and 2001:db8::1 when asked),
 * 1 ms apart, with a personality; and the results of socket calls. */
#pragma once

#include "net-internal.h"

G_BEGIN_DECLS

/* What one socket call returned. */
typedef struct {
  gboolean done;
  gint64 ret;
  int err;
  char *why;
  GBytes *data;
} NetOut;

typedef struct {
  SimEngine *engine;
  Network *net;
  Host *srv, *cli;
  GPtrArray *outs; /* NetOut*, freed with the bench */
} NetBench;

NetBench *net_bench_new     (const char *personality, gboolean cli_has_ip6);
void      net_bench_free    (NetBench *b);
/* A fresh result slot, for a call's callback data. */
NetOut   *net_bench_out     (NetBench *b);
/* The socket calls' callback: fills the NetOut it is given. */
void      net_bench_on_done (const SockResult *r, gpointer out);
/* Advances virtual time by d. */
void      net_bench_run_for (NetBench *b, SimTime d);

G_END_DECLS
