/* scenario-index.c: the lookup tables of a script (scenario-index.h). */
#include "scenario-index.h"

#include "scenario-script.h"

struct _ScenarioIndex {
  GHashTable *host_by_name;    /* name -> ScenarioHost* (names owned by the hosts) */
  GHashTable *host_by_ip;      /* ScenarioAddr* (owned) -> ScenarioHost* */
  GHashTable *process_by_name; /* name -> ScenarioProcess* */
  guint hosts_indexed;
  guint processes_indexed;
};

/* FNV-1a over the family and the 16 bytes. */
static guint
addr_hash (gconstpointer key)
{
  const ScenarioAddr *a = key;
  guint32 h = 0x811c9dc5u ^ (guint32) a->family;
  for (int i = 0; i < 16; i++)
    h = (h ^ a->bytes[i]) * 0x01000193u;
  return h;
}

static gboolean
addr_equal (gconstpointer a, gconstpointer b)
{
  return scenario_addr_equal (*(const ScenarioAddr *) a, *(const ScenarioAddr *) b);
}

ScenarioIndex *
scenario_index_new (void)
{
  ScenarioIndex *index = g_new0 (ScenarioIndex, 1);
  index->host_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  index->host_by_ip = g_hash_table_new_full (addr_hash, addr_equal, g_free, NULL);
  index->process_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  return index;
}

void
scenario_index_free (ScenarioIndex *index)
{
  if (index == NULL)
    return;
  g_hash_table_destroy (index->host_by_name);
  g_hash_table_destroy (index->host_by_ip);
  g_hash_table_destroy (index->process_by_name);
  g_free (index);
}

/* Inserts unless the key is there: the first entry in file order wins. */
static void
insert_first (GHashTable *table, gpointer key, gpointer value)
{
  if (!g_hash_table_contains (table, key))
    g_hash_table_insert (table, key, value);
}

static void
insert_first_addr (GHashTable *table, ScenarioAddr addr, gpointer value)
{
  if (!g_hash_table_contains (table, &addr))
    g_hash_table_insert (table, g_memdup2 (&addr, sizeof addr), value);
}

static void
catch_up_hosts (ScenarioIndex *index, const GPtrArray *hosts)
{
  /* Entries are only ever appended; a shorter array means a new start. */
  if (hosts->len < index->hosts_indexed)
    {
      g_hash_table_remove_all (index->host_by_name);
      g_hash_table_remove_all (index->host_by_ip);
      index->hosts_indexed = 0;
    }
  for (; index->hosts_indexed < hosts->len; index->hosts_indexed++)
    {
      ScenarioHost *host = g_ptr_array_index (hosts, index->hosts_indexed);
      insert_first (index->host_by_name, host->name, host);
      for (guint j = 0; j < host->addrs->len; j++)
        insert_first_addr (index->host_by_ip, g_array_index (host->addrs, ScenarioAddr, j), host);
    }
}

gpointer
scenario_index_host (ScenarioIndex *index, const GPtrArray *hosts, const char *name)
{
  catch_up_hosts (index, hosts);
  return g_hash_table_lookup (index->host_by_name, name);
}

gpointer
scenario_index_address (ScenarioIndex *index, const GPtrArray *hosts, ScenarioAddr ip)
{
  catch_up_hosts (index, hosts);
  return g_hash_table_lookup (index->host_by_ip, &ip);
}

gpointer
scenario_index_process (ScenarioIndex *index, const GPtrArray *processes, const char *name)
{
  if (processes->len < index->processes_indexed)
    {
      g_hash_table_remove_all (index->process_by_name);
      index->processes_indexed = 0;
    }
  for (; index->processes_indexed < processes->len; index->processes_indexed++)
    {
      ScenarioProcess *p = g_ptr_array_index (processes, index->processes_indexed);
      insert_first (index->process_by_name, p->name, p);
    }
  return g_hash_table_lookup (index->process_by_name, name);
}
