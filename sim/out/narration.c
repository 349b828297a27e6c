/* narration.c: "   0.010s  server  recv ... in LISTEN: new — ..." */
#include "narration.h"

struct _Narration {
  FILE *out;
  guint host_width;
  GString *line;
};

Narration *
narration_new (FILE *out, guint host_width)
{
  Narration *n = g_new0 (Narration, 1);
  n->out = out;
  n->host_width = host_width;
  n->line = g_string_new (NULL);
  return n;
}

void
narration_free (Narration *n)
{
  if (n == NULL)
    return;
  g_string_free (n->line, TRUE);
  g_free (n);
}

void
narration_sink (const SimTraceEvent *ev, gpointer data)
{
  Narration *n = data;
  /* link.send repeats the "send" line of the sender; it is in the JSON trace. */
  if (ev->text->len == 0 || g_str_equal (ev->kind, "link.send"))
    return;
  g_string_truncate (n->line, 0);
  GString *time = g_string_new (NULL);
  sim_time_append (time, ev->time);
  g_string_append_printf (n->line, "%12s  %-*s  %s\n", time->str, (int) n->host_width,
                          ev->host != NULL ? ev->host : "", ev->text->str);
  g_string_free (time, TRUE);
  fputs (n->line->str, n->out);
}
