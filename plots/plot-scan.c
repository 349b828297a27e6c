/* plot-scan.c: the flat-line scanner (see plot-scan.h). */
#include "plot-scan.h"

#include <string.h>

typedef struct {
  const char *p;
  const char *end;
  PlotFlatLine *line;
} Scan;

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
eat (Scan *s, char c)
{
  skip_space (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

/* A string's raw span (between the quotes) and whether it has escapes. */
static gboolean
string_span (Scan *s, const char **start, gsize *len, gboolean *escaped)
{
  if (!eat (s, '"'))
    return FALSE;
  *start = s->p;
  *escaped = FALSE;
  gboolean high = FALSE;
  while (s->p < s->end && *s->p != '"')
    {
      guchar c = (guchar) *s->p;
      if (c < 0x20)
        return FALSE;
      high |= c >= 0x80;
      if (c == '\\')
        {
          *escaped = TRUE;
          s->p++;
          if (s->p == s->end || strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return FALSE; /* \u and the like: json-glib decides */
        }
      s->p++;
    }
  if (s->p == s->end)
    return FALSE;
  *len = (gsize) (s->p - *start);
  s->p++;
  return !high || g_utf8_validate_len (*start, *len, NULL);
}

static const char *
decode_string (Scan *s, const char *start, gsize len, gboolean escaped)
{
  GString *out = s->line->strings;
  const char *dst = out->str + out->len;
  if (!escaped)
    g_string_append_len (out, start, (gssize) len);
  else
    for (gsize i = 0; i < len; i++)
      {
        char c = start[i];
        if (c == '\\')
          {
            c = start[++i];
            switch (c)
              {
              case 'b': c = '\b'; break;
              case 'f': c = '\f'; break;
              case 'n': c = '\n'; break;
              case 'r': c = '\r'; break;
              case 't': c = '\t'; break;
              default: break; /* '"', '\\', '/' stand for themselves */
              }
          }
        g_string_append_c (out, c);
      }
  g_string_append_c (out, '\0');
  return dst;
}

static gboolean
scan_int (Scan *s, gint64 *out)
{
  gboolean negative = s->p < s->end && *s->p == '-';
  if (negative)
    s->p++;
  const char *digits = s->p;
  guint64 v = 0;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    {
      if (v > (guint64) G_MAXINT64 / 10)
        return FALSE;
      v = v * 10 + (guint64) (*s->p - '0');
      s->p++;
    }
  gsize n = (gsize) (s->p - digits);
  if (n == 0 || (n > 1 && *digits == '0') || v > (guint64) G_MAXINT64)
    return FALSE;
  if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
    return FALSE; /* a double */
  *out = negative ? -(gint64) v : (gint64) v;
  return TRUE;
}

static gboolean
word (Scan *s, const char *w)
{
  gsize n = strlen (w);
  if ((gsize) (s->end - s->p) < n || memcmp (s->p, w, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
scan_value (Scan *s, PlotValue *v)
{
  skip_space (s);
  if (s->p == s->end)
    return FALSE;
  const char *start;
  gsize len;
  gboolean escaped;
  switch (*s->p)
    {
    case '"':
      if (!string_span (s, &start, &len, &escaped))
        return FALSE;
      /* Decoded later, once the buffer will not move. */
      v->type = PLOT_VAL_STR;
      v->s = start;
      v->i = (gint64) len | (escaped ? G_GINT64_CONSTANT (1) << 62 : 0);
      return TRUE;
    case 't':
      v->type = PLOT_VAL_BOOL;
      v->i = 1;
      return word (s, "true");
    case 'f':
      v->type = PLOT_VAL_BOOL;
      v->i = 0;
      return word (s, "false");
    case 'n':
      v->type = PLOT_VAL_NULL;
      return word (s, "null");
    default:
      v->type = PLOT_VAL_INT;
      return scan_int (s, &v->i);
    }
}

static gboolean
duplicate_key (const PlotFlatLine *line, const char *key, gsize len)
{
  for (guint i = 0; i < line->n; i++)
    if (line->members[i].key_len == len && memcmp (line->members[i].key, key, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
scan_members (Scan *s)
{
  PlotFlatLine *line = s->line;
  if (eat (s, '}'))
    return TRUE;
  do
    {
      const char *key;
      gsize key_len;
      gboolean escaped;
      if (line->n == PLOT_SCAN_MAX_MEMBERS || !string_span (s, &key, &key_len, &escaped)
          || escaped || duplicate_key (line, key, key_len) || !eat (s, ':'))
        return FALSE;
      PlotMember *m = &line->members[line->n++];
      m->key = key;
      m->key_len = key_len;
      if (!scan_value (s, &m->value))
        return FALSE;
    }
  while (eat (s, ','));
  return eat (s, '}');
}

void
plot_flat_line_init (PlotFlatLine *line)
{
  line->n = 0;
  line->strings = g_string_new (NULL);
}

void
plot_flat_line_clear (PlotFlatLine *line)
{
  g_string_free (line->strings, TRUE);
}

gboolean
plot_scan_flat (PlotFlatLine *line, const char *text, gsize len)
{
  Scan s = { text, text + len, line };
  line->n = 0;
  if (!eat (&s, '{') || !scan_members (&s))
    return FALSE;
  skip_space (&s);
  if (s.p != s.end)
    return FALSE;
  /* Decoded strings never outgrow the line: reserve once, then the
   * pointers into the buffer stay put. */
  g_string_truncate (line->strings, 0);
  g_string_set_size (line->strings, len + line->n + 1);
  g_string_truncate (line->strings, 0);
  for (guint i = 0; i < line->n; i++)
    {
      PlotValue *v = &line->members[i].value;
      if (v->type != PLOT_VAL_STR)
        continue;
      gboolean escaped = (v->i >> 62) != 0;
      gsize n = (gsize) (v->i & ((G_GINT64_CONSTANT (1) << 62) - 1));
      v->s = decode_string (&s, v->s, n, escaped);
      v->i = 0;
    }
  return TRUE;
}

PlotValue
plot_flat_get (const PlotFlatLine *line, const char *key)
{
  gsize len = strlen (key);
  for (guint i = 0; i < line->n; i++)
    {
      const PlotMember *m = &line->members[i];
      if (m->key_len == len && memcmp (m->key, key, len) == 0)
        return m->value;
    }
  return (PlotValue){ PLOT_VAL_NONE, 0, NULL };
}
