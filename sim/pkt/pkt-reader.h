/* pkt-reader.h: packetdrill scripts (.pkt) read into a scenario.
 *
 * A script drives one host (the stack under test, `local`) with socket
 * calls, injects the remote end's packets (`<` lines) from a scripted peer
 * (`remote`) and expects the local host's packets (`>` lines), all on one
 * timeline. The result is an ordinary ScenarioScript: two hosts joined by
 * a link without delay, CALLS, INJECT and EXPECT_SEGMENT steps whose
 * segments are marked `relative` (packetdrill's sequence numbers). The
 * subset read is listed in sim/pkt/README.md. Errors: "file:line:col: what
 * is wrong" in the SCENARIO_ERROR domain. */
#pragma once

#include "scenario-script.h"

G_BEGIN_DECLS

typedef struct {
  const char *personality;  /* default "linux" */
  const GPtrArray *settings; /* ScenarioSetting*: --set KEY=VALUE, applied last */
  SimTime tolerance;        /* packetdrill --tolerance_usecs (default 4 ms) */
  gboolean any_options;     /* every '>' line as if it said <...>: options not
                               checked (to compare personalities beyond their
                               option layouts) */
} PktOptions;

/* Defaults: 192.168.0.2 local (packetdrill picks one in 192.168.0.0/16),
 * 192.0.2.1 remote (RFC 5737 TEST-NET-1), port 8080 (bind and connect),
 * remote port 40000 for a passive open. */
#define PKT_LOCAL_IP  0xc0a80002u
#define PKT_REMOTE_IP 0xc0000201u
#define PKT_PORT      8080
#define PKT_REMOTE_PORT 40000

void            pkt_options_init (PktOptions *opts);
ScenarioScript *pkt_read_string  (const char *text, gssize length, const char *path,
                                  const PktOptions *opts, GError **error);
ScenarioScript *pkt_read_file    (const char *path, const PktOptions *opts, GError **error);

G_END_DECLS
