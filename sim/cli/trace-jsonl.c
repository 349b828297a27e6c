/* trace-jsonl.c: streaming JSON lines writer with atomic commit. */
#include "trace-jsonl.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

struct _TraceJsonl {
  char *path;
  char *tmp_path;
  FILE *file;
  GString *line;
  gboolean write_failed;
};

static void
append_json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20 || *p >= 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
trace_jsonl_format (GString *out, const SimTraceEvent *ev)
{
  g_string_append_printf (out, "{\"t\":%" G_GINT64_FORMAT ",\"i\":%" G_GUINT64_FORMAT ",\"kind\":",
                          ev->time, ev->index);
  append_json_string (out, ev->kind);
  g_string_append (out, ",\"host\":");
  if (ev->host != NULL)
    append_json_string (out, ev->host);
  else
    g_string_append (out, "null");
  for (guint i = 0; i < ev->fields->len; i++)
    {
      const SimTraceField *f = &g_array_index (ev->fields, SimTraceField, i);
      g_string_append_c (out, ',');
      append_json_string (out, f->key);
      g_string_append_c (out, ':');
      switch (f->type)
        {
        case SIM_FIELD_INT:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, f->i);
          break;
        case SIM_FIELD_BOOL:
          g_string_append (out, f->i ? "true" : "false");
          break;
        case SIM_FIELD_STR:
          append_json_string (out, f->s);
          break;
        }
    }
  g_string_append (out, ",\"text\":");
  append_json_string (out, ev->text->str);
  g_string_append_c (out, '}');
}

TraceJsonl *
trace_jsonl_open (const char *path, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf ("%s.tmp-XXXXXX", path);
  int fd = g_mkstemp (tmpl);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", path, g_strerror (saved));
      return NULL;
    }
  TraceJsonl *w = g_new0 (TraceJsonl, 1);
  w->path = g_strdup (path);
  w->tmp_path = g_steal_pointer (&tmpl);
  w->file = fdopen (fd, "w");
  w->line = g_string_new (NULL);
  return w;
}

void
trace_jsonl_sink (const SimTraceEvent *ev, gpointer data)
{
  TraceJsonl *w = data;
  g_string_truncate (w->line, 0);
  trace_jsonl_format (w->line, ev);
  g_string_append_c (w->line, '\n');
  if (fwrite (w->line->str, 1, w->line->len, w->file) != w->line->len)
    w->write_failed = TRUE;
}

static void
writer_free (TraceJsonl *w)
{
  g_string_free (w->line, TRUE);
  g_free (w->path);
  g_free (w->tmp_path);
  g_free (w);
}

gboolean
trace_jsonl_commit (TraceJsonl *w, GError **error)
{
  gboolean ok = !w->write_failed;
  ok = (fflush (w->file) == 0) && ok;
  ok = (fclose (w->file) == 0) && ok;
  if (ok && (g_chmod (w->tmp_path, 0644) != 0 || g_rename (w->tmp_path, w->path) != 0))
    ok = FALSE;
  if (!ok)
    {
      int saved = errno;
      g_unlink (w->tmp_path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot write %s: %s", w->path, g_strerror (saved));
    }
  writer_free (w);
  return ok;
}

void
trace_jsonl_abandon (TraceJsonl *w)
{
  if (w == NULL)
    return;
  fclose (w->file);
  g_unlink (w->tmp_path);
  writer_free (w);
}
