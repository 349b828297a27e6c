/* sim-trace.c: one reusable event record and an ordered list of sinks,
 * each with the kinds it reads and whether it reads text. */
#include "sim-trace.h"

#include <stddef.h>
#include <string.h>

#define MAX_SINKS 64       /* one bit each in a guint64 */
#define KIND_SLOTS 128     /* cache of kind -> sinks, keyed by the pointer */
#define CHUNK_SIZE 4096    /* field strings are copied into chunks */

typedef struct {
  SimTraceSink sink;
  gpointer data;
  const char *const *kinds; /* NULL: every kind */
  SimTraceTextWanted wants_text;
  gboolean counts_only;      /* reads the fields only of field_kinds */
  const char *const *field_kinds;
} Subscriber;

typedef struct {
  const char *kind;
  guint64 sinks;
  gboolean fields;  /* a sink that takes the kind reads its fields */
} KindSlot;

typedef enum {
  TEXT_NO,
  TEXT_YES,
  TEXT_ASK,
} TextNeed;

struct _SimTrace {
  GArray *subscribers; /* Subscriber */
  SimTraceEvent event; /* reused for every publication */
  gboolean building;
  guint64 next_index;
  guint64 event_sinks; /* the sinks that take the event being built */
  gboolean event_fields; /* and whether one of them reads its fields */
  TextNeed text_need;
  guint fields_cap;
  KindSlot kinds[KIND_SLOTS];
  GPtrArray *chunks;   /* char[CHUNK_SIZE] (or larger) each */
  guint chunk;         /* the chunk being filled */
  gsize chunk_used;
};

static SimTrace *
trace_of (SimTraceEvent *ev)
{
  return (SimTrace *) (gpointer) ((char *) ev - offsetof (SimTrace, event));
}

SimTrace *
sim_trace_new (void)
{
  SimTrace *t = g_new0 (SimTrace, 1);
  t->subscribers = g_array_new (FALSE, FALSE, sizeof (Subscriber));
  t->event.text = g_string_new (NULL);
  t->fields_cap = 32;
  t->event.fields = g_new0 (SimTraceField, t->fields_cap);
  t->chunks = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (t->chunks, g_malloc (CHUNK_SIZE));
  return t;
}

void
sim_trace_free (SimTrace *t)
{
  if (t == NULL)
    return;
  g_array_free (t->subscribers, TRUE);
  g_string_free (t->event.text, TRUE);
  g_free (t->event.fields);
  g_ptr_array_free (t->chunks, TRUE);
  g_free (t);
}

gboolean
sim_trace_text_always (const SimTraceEvent *event)
{
  (void) event;
  return TRUE;
}

void
sim_trace_add_sink_for (SimTrace *t, SimTraceSink sink, gpointer data,
                        const char *const *kinds, SimTraceTextWanted wants_text)
{
  g_assert (t->subscribers->len < MAX_SINKS);
  Subscriber s = { sink, data, kinds, wants_text, FALSE, NULL };
  g_array_append_val (t->subscribers, s);
  memset (t->kinds, 0, sizeof t->kinds); /* the cache is stale */
}

void
sim_trace_add_sink (SimTrace *t, SimTraceSink sink, gpointer data)
{
  sim_trace_add_sink_for (t, sink, data, NULL, sim_trace_text_always);
}

void
sim_trace_add_counting_sink (SimTrace *t, SimTraceSink sink, gpointer data,
                             const char *const *field_kinds)
{
  sim_trace_add_sink_for (t, sink, data, NULL, NULL);
  Subscriber *s = &g_array_index (t->subscribers, Subscriber, t->subscribers->len - 1);
  s->counts_only = TRUE;
  s->field_kinds = field_kinds;
}

gboolean
sim_trace_active (const SimTrace *t)
{
  return t->subscribers->len > 0;
}

static gboolean
in_list (const char *const *list, const char *kind)
{
  if (list == NULL)
    return TRUE;
  for (const char *const *k = list; *k != NULL; k++)
    if (strcmp (*k, kind) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
reads_fields (const Subscriber *s, const char *kind)
{
  return !s->counts_only || (s->field_kinds != NULL && in_list (s->field_kinds, kind));
}

/* The sinks that take kind, and whether one of them reads its fields. */
static KindSlot
sinks_for_kind (SimTrace *t, const char *kind)
{
  KindSlot slot = { kind, 0, FALSE };
  for (guint i = 0; i < t->subscribers->len; i++)
    {
      const Subscriber *s = &g_array_index (t->subscribers, Subscriber, i);
      if (!in_list (s->kinds, kind))
        continue;
      slot.sinks |= G_GUINT64_CONSTANT (1) << i;
      slot.fields = slot.fields || reads_fields (s, kind);
    }
  return slot;
}

/* Kinds are static strings: the cache is keyed by their address (the same
 * name at two addresses takes two slots; the answer is the same). */
static KindSlot
sinks_reading (SimTrace *t, const char *kind)
{
  guint slot = (guint) (((guintptr) kind >> 3) % KIND_SLOTS);
  for (guint probe = 0; probe < KIND_SLOTS; probe++)
    {
      KindSlot *k = &t->kinds[(slot + probe) % KIND_SLOTS];
      if (k->kind == kind)
        return *k;
      if (k->kind == NULL)
        {
          *k = sinks_for_kind (t, kind);
          return *k;
        }
    }
  return sinks_for_kind (t, kind); /* cache full */
}

gboolean
sim_trace_wants (SimTrace *t, const char *kind)
{
  return t->subscribers->len > 0 && sinks_reading (t, kind).sinks != 0;
}

gboolean
sim_trace_reads_fields (SimTrace *t, const char *kind)
{
  return t->subscribers->len > 0 && sinks_reading (t, kind).fields;
}

gboolean
sim_trace_needs_fields (SimTraceEvent *ev)
{
  return trace_of (ev)->event_fields;
}

static TextNeed
text_need (SimTrace *t, guint64 sinks)
{
  TextNeed need = TEXT_NO;
  for (guint i = 0; i < t->subscribers->len; i++)
    {
      const Subscriber *s = &g_array_index (t->subscribers, Subscriber, i);
      if ((sinks & (G_GUINT64_CONSTANT (1) << i)) == 0 || s->wants_text == NULL)
        continue;
      if (s->wants_text == sim_trace_text_always)
        return TEXT_YES;
      need = TEXT_ASK;
    }
  return need;
}

SimTraceEvent *
sim_trace_begin (SimTrace *t, SimTime time, const char *kind, const char *host)
{
  g_assert (!t->building); /* events do not nest */
  t->building = TRUE;
  SimTraceEvent *ev = &t->event;
  ev->time = time;
  ev->kind = kind;
  ev->host = host;
  g_string_truncate (ev->text, 0);
  ev->n_fields = 0;
  t->chunk = 0;
  t->chunk_used = 0;
  KindSlot readers = sinks_reading (t, kind);
  t->event_sinks = readers.sinks;
  t->event_fields = readers.fields;
  t->text_need = text_need (t, t->event_sinks);
  return ev;
}

gboolean
sim_trace_needs_text (SimTraceEvent *ev)
{
  SimTrace *t = trace_of (ev);
  if (t->text_need != TEXT_ASK)
    return t->text_need == TEXT_YES;
  t->text_need = TEXT_NO;
  for (guint i = 0; i < t->subscribers->len; i++)
    {
      const Subscriber *s = &g_array_index (t->subscribers, Subscriber, i);
      if ((t->event_sinks & (G_GUINT64_CONSTANT (1) << i)) != 0 && s->wants_text != NULL
          && s->wants_text (ev))
        {
          t->text_need = TEXT_YES;
          break;
        }
    }
  return t->text_need == TEXT_YES;
}

/* A copy of s that lives until the next sim_trace_begin. */
static const char *
chunk_copy (SimTrace *t, const char *s)
{
  gsize len = strlen (s) + 1;
  if (t->chunk_used + len > CHUNK_SIZE)
    {
      t->chunk++;
      t->chunk_used = 0;
      if (t->chunk == t->chunks->len)
        g_ptr_array_add (t->chunks, g_malloc (CHUNK_SIZE));
      if (len > CHUNK_SIZE)
        {
          /* Too long for a chunk: a chunk of its own, freed with the trace. */
          g_ptr_array_insert (t->chunks, (gint) t->chunk, g_malloc (len));
          t->chunk_used = CHUNK_SIZE;
          char *big = g_ptr_array_index (t->chunks, t->chunk);
          memcpy (big, s, len);
          return big;
        }
    }
  char *dst = (char *) g_ptr_array_index (t->chunks, t->chunk) + t->chunk_used;
  memcpy (dst, s, len);
  t->chunk_used += len;
  return dst;
}

static SimTraceField *
field_add (SimTraceEvent *ev, const char *key, SimFieldType type)
{
  SimTrace *t = trace_of (ev);
  if (ev->n_fields == t->fields_cap)
    {
      t->fields_cap *= 2;
      ev->fields = g_renew (SimTraceField, ev->fields, t->fields_cap);
    }
  SimTraceField *f = &ev->fields[ev->n_fields++];
  f->key = key;
  f->type = type;
  f->i = 0;
  f->s = NULL;
  return f;
}

void
sim_trace_field_int (SimTraceEvent *ev, const char *key, gint64 value)
{
  if (!sim_trace_needs_fields (ev))
    return;
  field_add (ev, key, SIM_FIELD_INT)->i = value;
}

void
sim_trace_field_str (SimTraceEvent *ev, const char *key, const char *value)
{
  if (!sim_trace_needs_fields (ev))
    return;
  const char *copy = chunk_copy (trace_of (ev), value != NULL ? value : "");
  field_add (ev, key, SIM_FIELD_STR)->s = copy;
}

void
sim_trace_field_bool (SimTraceEvent *ev, const char *key, gboolean value)
{
  if (!sim_trace_needs_fields (ev))
    return;
  field_add (ev, key, SIM_FIELD_BOOL)->i = value ? 1 : 0;
}

void
sim_trace_text (SimTraceEvent *ev, const char *format, ...)
{
  if (!sim_trace_needs_text (ev))
    return;
  va_list args;
  va_start (args, format);
  g_string_append_vprintf (ev->text, format, args);
  va_end (args);
}

void
sim_trace_publish (SimTrace *t, SimTraceEvent *ev)
{
  g_assert (t->building && ev == &t->event);
  ev->index = t->next_index++;
  for (guint i = 0; i < t->subscribers->len; i++)
    {
      if ((t->event_sinks & (G_GUINT64_CONSTANT (1) << i)) == 0)
        continue;
      Subscriber *s = &g_array_index (t->subscribers, Subscriber, i);
      s->sink (ev, s->data);
    }
  t->building = FALSE;
}

const SimTraceField *
sim_trace_event_field (const SimTraceEvent *ev, const char *key)
{
  /* Keys are static strings, usually the very same literal: compare the
   * addresses first, then the text. */
  for (guint i = 0; i < ev->n_fields; i++)
    if (ev->fields[i].key == key)
      return &ev->fields[i];
  for (guint i = 0; i < ev->n_fields; i++)
    {
      const SimTraceField *f = &ev->fields[i];
      if (f->key[0] == key[0] && strcmp (f->key, key) == 0)
        return f;
    }
  return NULL;
}

gint64
sim_trace_event_int (const SimTraceEvent *ev, const char *key, gint64 fallback)
{
  const SimTraceField *f = sim_trace_event_field (ev, key);
  return f != NULL && f->type != SIM_FIELD_STR ? f->i : fallback;
}

const char *
sim_trace_event_str (const SimTraceEvent *ev, const char *key)
{
  const SimTraceField *f = sim_trace_event_field (ev, key);
  return f != NULL && f->type == SIM_FIELD_STR ? f->s : NULL;
}
