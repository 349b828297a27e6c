/* scenario-index.h: hash tables over a script's hosts, addresses and
 * processes, so that looking one up costs the same with 10^5 hosts as
 * with two. The index follows the arrays: entries appended to
 * script->hosts or script->processes since the last lookup are indexed
 * on the next one, whoever appended them. */
#pragma once

#include <glib.h>

#include "scenario-script.h"

G_BEGIN_DECLS

typedef struct _ScenarioIndex ScenarioIndex;

ScenarioIndex *scenario_index_new     (void);
void           scenario_index_free    (ScenarioIndex *index);
/* hosts: ScenarioHost*, processes: ScenarioProcess*; first entry wins. */
gpointer       scenario_index_host    (ScenarioIndex *index, const GPtrArray *hosts,
                                       const char *name);
gpointer       scenario_index_address (ScenarioIndex *index, const GPtrArray *hosts,
                                       ScenarioAddr ip);
gpointer       scenario_index_process (ScenarioIndex *index, const GPtrArray *processes,
                                       const char *name);

G_END_DECLS
