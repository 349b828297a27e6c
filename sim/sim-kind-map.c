/* sim-kind-map.c: a direct-mapped cache of kind address -> name index. */
#include "sim-kind-map.h"

#include <string.h>

void
sim_kind_map_init (SimKindMap *map, const char *const *names)
{
  memset (map, 0, sizeof *map);
  map->names = names;
}

static int
index_of (const char *const *names, const char *kind)
{
  for (int i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], kind) == 0)
      return i;
  return -1;
}

int
sim_kind_map_find (SimKindMap *map, const char *kind)
{
  guint slot = (guint) (((guintptr) kind >> 3) % SIM_KIND_MAP_SLOTS);
  if (map->kinds[slot] != kind)
    {
      int i = index_of (map->names, kind);
      g_assert (i < G_MAXINT8);
      map->kinds[slot] = kind;
      map->index[slot] = (gint8) i;
    }
  return map->index[slot];
}
