/* trace-v1-line.c: splits a flat JSON object (RFC 8259) into raw members. */
#include "trace-v1-line.h"

#include <string.h>

typedef struct {
  const char *start;
  const char *p;
  const char *end;
  const char *why;
} Split;

static gboolean
bad (Split *s, const char *why)
{
  s->why = why;
  return FALSE;
}

static void
skip_space (Split *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
    s->p++;
}

static gboolean
eat (Split *s, char c)
{
  skip_space (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

/* A string, s->p on its opening quote. */
static gboolean
split_string (Split *s)
{
  s->p++;
  while (s->p < s->end && *s->p != '"')
    {
      guchar c = (guchar) *s->p;
      if (c >= 0x20 && c < 0x80 && c != '\\')
        {
          s->p++;
          continue;
        }
      if (c < 0x20)
        return bad (s, "a control character inside a string");
      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (s->p, s->end - s->p);
          if (ch == (gunichar) -1 || ch == (gunichar) -2)
            return bad (s, "a string that is not valid UTF-8");
          s->p = g_utf8_next_char (s->p);
          continue;
        }
      if (c == '\\')
        {
          s->p++;
          if (s->p == s->end || strchr ("\"\\/bfnrtu", *s->p) == NULL || *s->p == '\0')
            return bad (s, "an invalid escape in a string");
          if (*s->p == 'u')
            for (int i = 0; i < 4; i++)
              if (++s->p == s->end || !g_ascii_isxdigit (*s->p))
                return bad (s, "an invalid \\u escape in a string");
        }
      s->p++;
    }
  if (s->p == s->end)
    return bad (s, "a string without its closing quote");
  s->p++;
  return TRUE;
}

static gboolean
split_word (Split *s, const char *w)
{
  gsize n = strlen (w);
  if ((gsize) (s->end - s->p) < n || memcmp (s->p, w, n) != 0)
    return bad (s, "not a JSON value");
  s->p += n;
  return TRUE;
}

/* A number: -? digits [. digits] [e [+-] digits]. */
static gboolean
split_number (Split *s)
{
  if (*s->p == '-')
    s->p++;
  const char *digits = s->p;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  if (s->p == digits)
    return bad (s, "not a JSON value");
  if (s->p - digits > 1 && *digits == '0')
    return bad (s, "a number with a leading zero");
  if (s->p < s->end && *s->p == '.')
    {
      const char *frac = ++s->p;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
      if (s->p == frac)
        return bad (s, "a number without digits after its point");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      const char *exp = s->p;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
      if (s->p == exp)
        return bad (s, "a number without digits in its exponent");
    }
  return TRUE;
}

static gboolean
split_value (Split *s)
{
  skip_space (s);
  if (s->p == s->end)
    return bad (s, "a value is missing");
  switch (*s->p)
    {
    case '"':
      return split_string (s);
    case 't':
      return split_word (s, "true");
    case 'f':
      return split_word (s, "false");
    case 'n':
      return split_word (s, "null");
    case '{':
    case '[':
      return bad (s, "nested deeper than a twsim trace (one flat JSON object per line)");
    default:
      return split_number (s);
    }
}

static guint
key_hash (const char *key, gsize len)
{
  return len == 0 ? 0 : (guint) (len * 7 + (guchar) key[0] * 31 + (guchar) key[len - 1]);
}

/* Adds member n to the index; FALSE if its key is there already. */
static gboolean
index_add (TraceV1Line *line, guint n)
{
  const TraceV1Member *m = &line->members[n];
  for (guint h = key_hash (m->key, m->key_len);; h++)
    {
      guint8 *slot = &line->index[h % TRACE_V1_INDEX_SIZE];
      if (*slot == 0)
        {
          *slot = (guint8) (n + 1);
          return TRUE;
        }
      const TraceV1Member *o = &line->members[*slot - 1];
      if (o->key_len == m->key_len && memcmp (o->key, m->key, m->key_len) == 0)
        return FALSE;
    }
}

static gboolean
split_members (Split *s, TraceV1Line *line)
{
  if (eat (s, '}'))
    return TRUE;
  do
    {
      skip_space (s);
      if (s->p == s->end || *s->p != '"')
        return bad (s, "a key (a string) is expected");
      if (line->n == TRACE_V1_MAX_MEMBERS)
        return bad (s, "more members than any twsim event has");
      const char *key = s->p;
      if (!split_string (s))
        return FALSE;
      TraceV1Member *m = &line->members[line->n];
      m->key = key + 1;
      m->key_len = (gsize) (s->p - key) - 2;
      m->quote = FALSE;
      if (!index_add (line, line->n))
        {
          s->p = key;
          return bad (s, "a key given twice");
        }
      if (!eat (s, ':'))
        return bad (s, "':' is expected after a key");
      skip_space (s);
      m->value = s->p;
      if (!split_value (s))
        return FALSE;
      m->value_len = (gsize) (s->p - m->value);
      line->n++;
    }
  while (eat (s, ','));
  if (!eat (s, '}'))
    return bad (s, "',' or '}' is expected");
  return TRUE;
}

gboolean
trace_v1_line_split (TraceV1Line *line, const char *text, gsize len, const char **why,
                     guint *column)
{
  Split s = { text, text, text + len, NULL };
  line->n = 0;
  line->indexed = TRUE;
  memset (line->index, 0, sizeof line->index);
  gboolean ok = eat (&s, '{') ? split_members (&s, line) : bad (&s, "not a JSON object");
  if (ok)
    {
      skip_space (&s);
      if (s.p != s.end)
        ok = bad (&s, "more after the object's closing '}'");
    }
  if (!ok)
    {
      *why = s.why;
      *column = (guint) MIN ((gsize) (s.p - s.start) + 1, G_MAXUINT);
    }
  return ok;
}

static gboolean
split_values (Split *s, TraceV1Line *line)
{
  if (eat (s, ']'))
    return TRUE;
  do
    {
      if (line->n == TRACE_V1_MAX_MEMBERS)
        return bad (s, "more values than any twsim event has");
      TraceV1Member *m = &line->members[line->n];
      skip_space (s);
      m->key = "";
      m->key_len = 0;
      m->quote = FALSE;
      m->value = s->p;
      if (!split_value (s))
        return FALSE;
      m->value_len = (gsize) (s->p - m->value);
      line->n++;
    }
  while (eat (s, ','));
  if (!eat (s, ']'))
    return bad (s, "',' or ']' is expected");
  return TRUE;
}

void
trace_v1_line_clear (TraceV1Line *line)
{
  line->n = 0;
  line->indexed = TRUE;
  memset (line->index, 0, sizeof line->index);
}

gboolean
trace_v1_line_add (TraceV1Line *line, const char *key, gsize key_len, const char *value,
                   gsize value_len)
{
  if (line->n == TRACE_V1_MAX_MEMBERS)
    return FALSE;
  TraceV1Member *m = &line->members[line->n];
  *m = (TraceV1Member){ key, key_len, value, value_len, FALSE };
  if (!index_add (line, line->n))
    return FALSE;
  line->n++;
  return TRUE;
}

gboolean
trace_v1_row_split (TraceV1Line *line, const char *text, gsize len, const char **why,
                    guint *column)
{
  Split s = { text, text, text + len, NULL };
  line->n = 0;
  line->indexed = FALSE;
  gboolean ok = eat (&s, '[') ? split_values (&s, line) : bad (&s, "not a JSON array");
  if (ok)
    {
      skip_space (&s);
      if (s.p != s.end)
        ok = bad (&s, "more after the array's closing ']'");
    }
  if (!ok)
    {
      *why = s.why;
      *column = (guint) MIN ((gsize) (s.p - s.start) + 1, G_MAXUINT);
    }
  return ok;
}

gboolean
trace_v1_key_is (const TraceV1Member *m, const char *key)
{
  /* Byte by byte: most keys differ in their first. */
  for (gsize i = 0; i < m->key_len; i++)
    if (key[i] != m->key[i] || key[i] == '\0')
      return FALSE;
  return key[m->key_len] == '\0';
}

const TraceV1Member *
trace_v1_line_get_len (const TraceV1Line *line, const char *key, gsize len)
{
  if (!line->indexed)
    {
      for (guint i = 0; i < line->n; i++)
        if (line->members[i].key_len == len && memcmp (line->members[i].key, key, len) == 0)
          return &line->members[i];
      return NULL;
    }
  for (guint h = key_hash (key, len);; h++)
    {
      guint8 slot = line->index[h % TRACE_V1_INDEX_SIZE];
      if (slot == 0)
        return NULL;
      const TraceV1Member *m = &line->members[slot - 1];
      if (m->key_len == len && memcmp (m->key, key, len) == 0)
        return m;
    }
}

gboolean
trace_v1_value_is (const TraceV1Member *m, const char *raw)
{
  return m != NULL && m->value_len == strlen (raw) && memcmp (m->value, raw, m->value_len) == 0;
}

const char *
trace_v1_string (const TraceV1Member *m, gsize *len)
{
  if (m == NULL || m->value_len < 2 || m->value[0] != '"')
    return NULL;
  *len = m->value_len - 2;
  return m->value + 1;
}

gboolean
trace_v1_int (const TraceV1Member *m, gint64 *out)
{
  if (m == NULL || m->value_len == 0 || m->value_len > 18)
    return FALSE;
  gint64 v = 0;
  gsize i = m->value[0] == '-' ? 1 : 0;
  if (i == m->value_len)
    return FALSE;
  for (; i < m->value_len; i++)
    {
      if (!g_ascii_isdigit (m->value[i]))
        return FALSE;
      v = v * 10 + (m->value[i] - '0');
    }
  *out = m->value[0] == '-' ? -v : v;
  return TRUE;
}
