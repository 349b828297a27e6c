/* pkt-run.h: running a packetdrill script and telling how it went, in
 * packetdrill's words; a folder of scripts under several personalities as
 * a Markdown table. */
#pragma once

#include "pkt-reader.h"
#include "scenario-runner.h"

G_BEGIN_DECLS

/* The time the run needs: the script's last event, or the latest a `>`
 * line may be sent. */
SimTime pkt_script_end     (const ScenarioScript *script);
/* Runs a runner built from a .pkt script to its end. Returns 0 when every
 * line held, else 1 with `message` set to packetdrill's report of the
 * first failure: "FILE:LINE: error handling packet: ..." and the script
 * and actual packets. */
int     pkt_run_loaded     (ScenarioRunner *runner, const ScenarioScript *script, GString *message);
/* Reads and runs one file: 0, 1 or 2 (bad input: message "file:line:col: ..."). */
int     pkt_run_file       (const char *path, const PktOptions *opts, GString *message);
/* Every *.pkt in `dir` (sorted) under each personality: a Markdown table,
 * one row per script, "pass" or the first failing line and why. FALSE
 * (with error) when the folder cannot be read. */
gboolean pkt_table         (const char *dir, const char *const *personalities,
                            const PktOptions *opts, GString *out, GError **error);

G_END_DECLS
