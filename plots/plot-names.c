/* plot-names.c: the names of connections in pictures (see plot-names.h). */
#include "plot-names.h"

#include "plot-output.h"

#include <string.h>

static const char *
host_or_default (const PlotConnId *id)
{
  return id->host != NULL && id->host[0] != '\0' ? id->host : "host";
}

char *
plot_conn_name (const PlotConnId *id)
{
  GString *name = g_string_new (host_or_default (id));
  if (id->listening)
    {
      g_string_append (name, " listener");
      if (id->nth > 1)
        g_string_append_printf (name, " %u", id->nth);
      g_string_append_printf (name, " (%s)", id->local);
      return g_string_free (name, FALSE);
    }
  if (id->inc > 0)
    g_string_append_printf (name, " #%" G_GINT64_FORMAT, id->inc);
  g_string_append_printf (name, " (%s > %s)", id->local, id->remote);
  return g_string_free (name, FALSE);
}

const char *
plot_endpoint_port (const char *endpoint)
{
  const char *colon = endpoint != NULL ? strrchr (endpoint, ':') : NULL;
  return colon != NULL ? colon + 1 : "";
}

/* File names stay short: a host name is cut to this many characters. */
#define MAX_STEM_PART 24

/* Characters outside PLOT_NAME_CHARS become '_'. */
static void
append_file_safe (GString *out, const char *s)
{
  for (const char *p = s; *p != '\0' && p - s < MAX_STEM_PART; p++)
    g_string_append_c (out, strchr (PLOT_NAME_CHARS, *p) != NULL ? *p : '_');
}

char *
plot_conn_stem (const PlotConnId *id)
{
  GString *stem = g_string_new (NULL);
  append_file_safe (stem, host_or_default (id));
  if (id->listening)
    {
      g_string_append (stem, "-listener-");
      append_file_safe (stem, plot_endpoint_port (id->local));
      if (id->nth > 1)
        g_string_append_printf (stem, "-%u", id->nth);
    }
  else
    g_string_append_printf (stem, "-%" G_GINT64_FORMAT, MAX (id->inc, 0));
  return g_string_free (stem, FALSE);
}

/* How many of `stems` are each stem (a table from stem to count). */
static GHashTable *
count_alike (const GPtrArray *stems)
{
  GHashTable *count = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < stems->len; i++)
    {
      const char *stem = g_ptr_array_index (stems, i);
      g_hash_table_insert (count, (gpointer) stem,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, stem)) + 1));
    }
  return count;
}

/* Appends `suffix(i)` to every stem shared by several: the local port,
 * or (local_ports NULL) its place among those alike, 1, 2, ... */
static void
suffix_shared (GPtrArray *stems, const GPtrArray *local_ports)
{
  g_autoptr (GHashTable) count = count_alike (stems);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) next = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < stems->len; i++)
    {
      const char *stem = g_ptr_array_index (stems, i);
      if (GPOINTER_TO_UINT (g_hash_table_lookup (count, stem)) < 2)
        {
          g_ptr_array_add (next, g_strdup (stem));
          continue;
        }
      GString *s = g_string_new (stem);
      if (local_ports != NULL)
        {
          g_string_append (s, "-p");
          append_file_safe (s, g_ptr_array_index (local_ports, i));
        }
      else
        {
          guint nth = GPOINTER_TO_UINT (g_hash_table_lookup (seen, stem)) + 1;
          g_hash_table_insert (seen, (gpointer) stem, GUINT_TO_POINTER (nth));
          g_string_append_printf (s, "-%u", nth);
        }
      g_ptr_array_add (next, g_string_free (s, FALSE));
    }
  for (guint i = 0; i < stems->len; i++)
    {
      g_free (stems->pdata[i]);
      stems->pdata[i] = g_steal_pointer (&next->pdata[i]);
    }
}

void
plot_conn_stems_unique (GPtrArray *stems, const GPtrArray *local_ports)
{
  suffix_shared (stems, local_ports);
  suffix_shared (stems, NULL);
}

char *
plot_conn_key (const char *host, gint64 conn)
{
  return g_strdup_printf ("%p/%" G_GINT64_FORMAT, (gpointer) host, conn);
}

/* Which listener on this host and address the one of state change `at`
 * is: 1, 2, ... (first state changes of listeners before it counted). */
static guint
listener_nth (const PlotTrace *trace, guint at, GHashTable *seen)
{
  const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, at);
  guint nth = 1;
  for (guint i = 0; i < at; i++)
    {
      const PlotStateChange *o = &g_array_index (trace->states, PlotStateChange, i);
      g_autofree char *key = plot_conn_key (o->host, o->conn);
      nth += o->host == c->host && o->local == c->local && strcmp (o->to, "LISTEN") == 0
             && g_hash_table_lookup (seen, key) == o;
    }
  return nth;
}

char *
plot_conn_column_name (const PlotConnId *id)
{
  if (id->listening)
    return id->nth > 1 ? g_strdup_printf ("listener %u", id->nth) : g_strdup ("listener");
  if (id->inc > 0)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id->inc);
  return g_strdup_printf (":%s", plot_endpoint_port (id->local));
}

typedef char *(*NameRule) (const PlotConnId *id);

static GHashTable *
names_by_rule (const PlotTrace *trace, NameRule rule, GHashTable *local_of)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* key -> its first state change */
  g_autoptr (GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < trace->states->len; i++)
    {
      const PlotStateChange *c = &g_array_index (trace->states, PlotStateChange, i);
      char *key = plot_conn_key (c->host, c->conn);
      if (g_hash_table_contains (first, key))
        {
          g_free (key);
          continue;
        }
      g_hash_table_insert (first, g_strdup (key), (gpointer) c);
      PlotConnId id = { .host = c->host, .inc = c->inc, .local = c->local, .remote = c->remote,
                        .listening = strcmp (c->to, "LISTEN") == 0 };
      if (id.listening)
        id.nth = listener_nth (trace, i, first);
      if (local_of != NULL)
        g_hash_table_insert (local_of, g_strdup (key), (gpointer) c->local);
      g_hash_table_insert (names, key, rule (&id));
    }
  return names;
}

GHashTable *
plot_conn_names_new (const PlotTrace *trace)
{
  return names_by_rule (trace, plot_conn_name, NULL);
}

/* "HOST/NAME" from a plot_conn_key "HOST/CONN": names alike on one host. */
static char *
host_and_name (const char *key, const char *name)
{
  const char *sep = strrchr (key, '/');
  return g_strdup_printf ("%.*s/%s", sep != NULL ? (int) (sep - key) : 0, key, name);
}

GHashTable *
plot_conn_column_names_new (const PlotTrace *trace)
{
  g_autoptr (GHashTable) local_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *names = names_by_rule (trace, plot_conn_column_name, local_of);
  g_autoptr (GHashTable) count = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter it;
  gpointer key, name;
  g_hash_table_iter_init (&it, names);
  while (g_hash_table_iter_next (&it, &key, &name))
    {
      char *alike = host_and_name (key, name);
      g_hash_table_insert (count, alike, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, alike)) + 1));
    }
  /* Two connections of one host alike ("#1" on ports 4000 and 4001) say
   * their local port: "#1 :4000". */
  g_hash_table_iter_init (&it, names);
  while (g_hash_table_iter_next (&it, &key, &name))
    {
      g_autofree char *alike = host_and_name (key, name);
      if (GPOINTER_TO_UINT (g_hash_table_lookup (count, alike)) > 1)
        g_hash_table_iter_replace (&it, g_strdup_printf ("%s :%s", (char *) name,
                                                         plot_endpoint_port (g_hash_table_lookup (local_of, key))));
    }
  return names;
}

const char *
plot_conn_names_get (GHashTable *names, const char *host, gint64 conn)
{
  g_autofree char *key = plot_conn_key (host, conn);
  return g_hash_table_lookup (names, key);
}
