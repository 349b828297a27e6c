/* sim-trace.c: one reusable event record and an ordered list of sinks. */
#include "sim-trace.h"

#include <string.h>

typedef struct {
  SimTraceSink sink;
  gpointer data;
} Subscriber;

struct _SimTrace {
  GArray *subscribers; /* Subscriber */
  SimTraceEvent event; /* reused for every publication */
  gboolean building;
  guint64 next_index;
};

static void
field_clear (gpointer p)
{
  SimTraceField *f = p;
  g_free (f->s);
  f->s = NULL;
}

SimTrace *
sim_trace_new (void)
{
  SimTrace *t = g_new0 (SimTrace, 1);
  t->subscribers = g_array_new (FALSE, FALSE, sizeof (Subscriber));
  t->event.text = g_string_new (NULL);
  t->event.fields = g_array_new (FALSE, TRUE, sizeof (SimTraceField));
  g_array_set_clear_func (t->event.fields, field_clear);
  return t;
}

void
sim_trace_free (SimTrace *t)
{
  if (t == NULL)
    return;
  g_array_free (t->subscribers, TRUE);
  g_string_free (t->event.text, TRUE);
  g_array_free (t->event.fields, TRUE);
  g_free (t->event.host);
  g_free (t);
}

void
sim_trace_add_sink (SimTrace *t, SimTraceSink sink, gpointer data)
{
  Subscriber s = { sink, data };
  g_array_append_val (t->subscribers, s);
}

gboolean
sim_trace_active (const SimTrace *t)
{
  return t->subscribers->len > 0;
}

SimTraceEvent *
sim_trace_begin (SimTrace *t, SimTime time, const char *kind, const char *host)
{
  g_assert (!t->building); /* events do not nest */
  t->building = TRUE;
  SimTraceEvent *ev = &t->event;
  ev->time = time;
  ev->kind = kind;
  g_free (ev->host);
  ev->host = g_strdup (host);
  g_string_truncate (ev->text, 0);
  g_array_set_size (ev->fields, 0);
  return ev;
}

static SimTraceField *
field_add (SimTraceEvent *ev, const char *key, SimFieldType type)
{
  g_array_set_size (ev->fields, ev->fields->len + 1);
  SimTraceField *f = &g_array_index (ev->fields, SimTraceField, ev->fields->len - 1);
  f->key = key;
  f->type = type;
  f->i = 0;
  f->s = NULL;
  return f;
}

void
sim_trace_field_int (SimTraceEvent *ev, const char *key, gint64 value)
{
  field_add (ev, key, SIM_FIELD_INT)->i = value;
}

void
sim_trace_field_str (SimTraceEvent *ev, const char *key, const char *value)
{
  field_add (ev, key, SIM_FIELD_STR)->s = g_strdup (value != NULL ? value : "");
}

void
sim_trace_field_bool (SimTraceEvent *ev, const char *key, gboolean value)
{
  field_add (ev, key, SIM_FIELD_BOOL)->i = value ? 1 : 0;
}

void
sim_trace_text (SimTraceEvent *ev, const char *format, ...)
{
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
      Subscriber *s = &g_array_index (t->subscribers, Subscriber, i);
      s->sink (ev, s->data);
    }
  t->building = FALSE;
}

const SimTraceField *
sim_trace_event_field (const SimTraceEvent *ev, const char *key)
{
  for (guint i = 0; i < ev->fields->len; i++)
    {
      const SimTraceField *f = &g_array_index (ev->fields, SimTraceField, i);
      if (strcmp (f->key, key) == 0)
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
