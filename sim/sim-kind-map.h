/* sim-kind-map.h: which of a sink's names an event kind is, without a
 * string compare per event.
 *
 * Event kinds are static strings (sim-trace.h), so a sink that dispatches
 * on the kind can remember the answer by the kind's address. The same
 * name at two addresses takes two entries; a collision only costs the
 * compares again, so the answer is always that of strcmp.
 *
 * Usage:
 *   static const char *const names[] = { "tcp.recv", "tcp.send", NULL };
 *   SimKindMap map;
 *   sim_kind_map_init (&map, names);
 *   switch (sim_kind_map_find (&map, ev->kind)) ...  (-1: none of them)
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIM_KIND_MAP_SLOTS 64

typedef struct {
  const char *const *names;  /* NULL-terminated; must outlive the map */
  const char *kinds[SIM_KIND_MAP_SLOTS];
  gint8 index[SIM_KIND_MAP_SLOTS];
} SimKindMap;

void sim_kind_map_init (SimKindMap *map, const char *const *names);
/* The index in names of the name equal to kind, or -1. */
int  sim_kind_map_find (SimKindMap *map, const char *kind);

G_END_DECLS
