/* trace-v1-rows.c: the rows of a v1 trace. An event is written as a row,
 * [N, value, ...], its values in the order of the keys of definition N;
 * a definition line, {"d":N,"k":KIND,"keys":"t,h,conn,..."}, comes
 * before the first row that uses it, numbered 0, 1, 2 ... in order. Each
 * set of keys an event of a kind has gets its own definition. */
#include "trace-v1-rows.h"

#include <string.h>

typedef struct {
  char *kind;      /* raw JSON string, with its quotes */
  char **keys;
  gsize *key_lens;
  guint n_keys;
} RowDef;

struct _TraceV1Rows {
  GHashTable *ids;   /* writer: "KIND|key,key" -> id + 1 */
  GPtrArray *defs;   /* reader: RowDef by id */
  GString *tuple;
};

static void
row_def_free (gpointer p)
{
  RowDef *d = p;
  g_free (d->kind);
  g_strfreev (d->keys);
  g_free (d->key_lens);
  g_free (d);
}

TraceV1Rows *
trace_v1_rows_new (void)
{
  TraceV1Rows *rows = g_new0 (TraceV1Rows, 1);
  rows->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rows->defs = g_ptr_array_new_with_free_func (row_def_free);
  rows->tuple = g_string_new (NULL);
  return rows;
}

void
trace_v1_rows_free (TraceV1Rows *rows)
{
  g_hash_table_unref (rows->ids);
  g_ptr_array_unref (rows->defs);
  g_string_free (rows->tuple, TRUE);
  g_free (rows);
}

/* --- writer --- */

/* Decimal digits of n into buf (16 bytes); returns their number. */
static gsize
format_uint (char *buf, guint n)
{
  char tmp[16];
  gsize len = 0;
  do
    {
      tmp[len++] = (char) ('0' + n % 10);
      n /= 10;
    }
  while (n != 0);
  for (gsize i = 0; i < len; i++)
    buf[i] = tmp[len - 1 - i];
  return len;
}

void
trace_v1_rows_encode (TraceV1Rows *rows, const TraceV1Line *obj, GString *out)
{
  const TraceV1Member *kind = trace_v1_line_get (obj, "k");
  GString *tuple = rows->tuple;
  g_string_truncate (tuple, 0);
  trace_v1_cat (tuple, kind->value, kind->value_len);
  g_string_append_c (tuple, '|');
  gboolean first = TRUE;
  for (guint i = 0; i < obj->n; i++)
    {
      const TraceV1Member *m = &obj->members[i];
      if (m == kind)
        continue;
      if (!first)
        g_string_append_c (tuple, ',');
      first = FALSE;
      trace_v1_cat (tuple, m->key, m->key_len);
    }
  gpointer found = g_hash_table_lookup (rows->ids, tuple->str);
  guint id;
  if (found != NULL)
    id = GPOINTER_TO_UINT (found) - 1;
  else
    {
      id = g_hash_table_size (rows->ids);
      g_hash_table_insert (rows->ids, g_strdup (tuple->str), GUINT_TO_POINTER (id + 1));
      const char *keys = strchr (tuple->str, '|') + 1;
      g_string_append_printf (out, "{\"d\":%u,\"k\":", id);
      trace_v1_cat (out, kind->value, kind->value_len);
      g_string_append_printf (out, ",\"keys\":\"%s\"}\n", keys);
    }
  char digits[16];
  g_string_append_c (out, '[');
  trace_v1_cat (out, digits, format_uint (digits, id));
  for (guint i = 0; i < obj->n; i++)
    {
      const TraceV1Member *m = &obj->members[i];
      if (m == kind)
        continue;
      g_string_append_c (out, ',');
      if (m->quote)
        g_string_append_c (out, '"');
      trace_v1_cat (out, m->value, m->value_len);
      if (m->quote)
        g_string_append_c (out, '"');
    }
  g_string_append_c (out, ']');
}

/* --- reader --- */

static gboolean
fail (char **why, guint *column, guint at, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (char **why, guint *column, guint at, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  *why = g_strdup_vprintf (format, args);
  va_end (args);
  *column = at;
  return FALSE;
}

static guint
column_of (const char *text, const TraceV1Member *m)
{
  return (guint) MIN ((gsize) (m->value - text) + 1, G_MAXUINT);
}

static gboolean
valid_key (const char *key)
{
  if (*key == '\0')
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
define (TraceV1Rows *rows, const char *text, const TraceV1Line *line, char **why, guint *column)
{
  const TraceV1Member *d = trace_v1_line_get (line, "d");
  const TraceV1Member *k = trace_v1_line_get (line, "k");
  const TraceV1Member *keys = trace_v1_line_get (line, "keys");
  gint64 id;
  gsize len;
  if (!trace_v1_int (d, &id) || id != (gint64) rows->defs->len)
    return fail (why, column, column_of (text, d), "definition %u is expected here", rows->defs->len);
  if (trace_v1_string (k, &len) == NULL)
    return fail (why, column, 1, "a definition needs \"k\", the kind (a string)");
  const char *list = trace_v1_string (keys, &len);
  if (list == NULL)
    return fail (why, column, 1, "a definition needs \"keys\", a string of keys separated by ','");
  g_autofree char *copy = g_strndup (list, len);
  char **names = g_strsplit (copy, ",", -1);
  guint n = g_strv_length (names);
  for (guint i = 0; i < n; i++)
    if (!valid_key (names[i]) || g_strv_contains ((const char *const *) names + i + 1, names[i]))
      {
        g_strfreev (names);
        return fail (why, column, column_of (text, keys), "\"keys\": a key is empty, repeated or "
                     "not made of letters, digits, '_', '-' and '.'");
      }
  if (n + 1 > TRACE_V1_MAX_MEMBERS)
    {
      g_strfreev (names);
      return fail (why, column, column_of (text, keys), "\"keys\": more keys than any twsim event has");
    }
  RowDef *def = g_new0 (RowDef, 1);
  def->kind = g_strndup (k->value, k->value_len);
  def->keys = names;
  def->n_keys = n;
  def->key_lens = g_new (gsize, n);
  for (guint i = 0; i < n; i++)
    def->key_lens[i] = strlen (names[i]);
  g_ptr_array_add (rows->defs, def);
  return TRUE;
}

/* A row as the compact event {"k":KIND,"key":value,...}. */
static gboolean
row_event (TraceV1Rows *rows, const char *text, const TraceV1Line *row, TraceV1Line *event,
           char **why, guint *column)
{
  gint64 id;
  if (row->n == 0 || !trace_v1_int (&row->members[0], &id) || id < 0 || id >= (gint64) rows->defs->len)
    return fail (why, column, 1, "a row begins with the number of a definition given before");
  const RowDef *def = g_ptr_array_index (rows->defs, (guint) id);
  if (row->n - 1 != def->n_keys)
    return fail (why, column, row->n - 1 > def->n_keys ? column_of (text, &row->members[def->n_keys + 1]) : 1,
                 "definition %" G_GINT64_FORMAT " has %u values, this row %u", id, def->n_keys, row->n - 1);
  trace_v1_line_clear (event);
  gboolean ok = trace_v1_line_add (event, "k", 1, def->kind, strlen (def->kind));
  for (guint i = 0; ok && i < def->n_keys; i++)
    {
      const TraceV1Member *m = &row->members[i + 1];
      ok = trace_v1_line_add (event, def->keys[i], def->key_lens[i], m->value, m->value_len);
    }
  if (!ok)
    return fail (why, column, 1, "definition %" G_GINT64_FORMAT " names \"k\" among its keys", id);
  return TRUE;
}

gboolean
trace_v1_rows_decode (TraceV1Rows *rows, const char *text, gsize len, TraceV1Line *event,
                      gboolean *is_definition, char **why, guint *column)
{
  TraceV1Line row;
  const char *bad;
  *is_definition = FALSE;
  gsize at = 0;
  while (at < len && g_ascii_isspace (text[at]))
    at++;
  if (at < len && text[at] == '[')
    {
      if (!trace_v1_row_split (&row, text, len, &bad, column))
        return fail (why, column, *column, "%s", bad);
      return row_event (rows, text, &row, event, why, column);
    }
  if (!trace_v1_line_split (event, text, len, &bad, column))
    return fail (why, column, *column, "%s", bad);
  if (trace_v1_line_get (event, "d") != NULL)
    {
      *is_definition = TRUE;
      return define (rows, text, event, why, column);
    }
  return TRUE;
}
