/* pkt-cursor.c: the .pkt reader's cursor: bytes, lines and columns,
 * blanks and comments, words and numbers, and located errors. */
#include "pkt-cursor.h"

#include <string.h>

int
pkt_peek (const Reader *r)
{
  return r->pos < r->len ? (guchar) r->text[r->pos] : -1;
}

int
pkt_peek_at (const Reader *r, gsize ahead)
{
  return r->pos + ahead < r->len ? (guchar) r->text[r->pos + ahead] : -1;
}

void
pkt_step (Reader *r)
{
  if (r->pos >= r->len)
    return;
  if (r->text[r->pos] == '\n')
    {
      r->line++;
      r->col = 1;
    }
  else
    r->col++;
  r->pos++;
}

ScenarioLoc
pkt_here (const Reader *r)
{
  return (ScenarioLoc){ r->script->path, r->line, r->col };
}

gboolean
pkt_fail (GError **error, const ScenarioLoc *loc, ScenarioError code, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  scenario_set_error_at (error, loc, code, "%s", msg);
  return FALSE;
}

char *
pkt_describe_here (const Reader *r)
{
  int c = pkt_peek (r);
  if (c < 0)
    return g_strdup ("the end of the file");
  if (c == '\n')
    return g_strdup ("the end of the line");
  gsize n = 0;
  while (r->pos + n < r->len && n < 16 && !g_ascii_isspace (r->text[r->pos + n]))
    n++;
  return g_strdup_printf ("'%.*s'", (int) MAX (n, 1), r->text + r->pos);
}

gboolean
pkt_fail_expected (Reader *r, const char *what, GError **error)
{
  ScenarioLoc loc = pkt_here (r);
  g_autofree char *found = pkt_describe_here (r);
  return pkt_fail (error, &loc, SCENARIO_ERROR_SYNTAX, "expected %s but found %s", what, found);
}

/* Spaces, tabs and comments up to the end of the line (a block comment may
 * run over several lines). */
gboolean
pkt_skip_blanks (Reader *r, GError **error)
{
  for (;;)
    {
      int c = pkt_peek (r);
      if (c == ' ' || c == '\t' || c == '\r')
        pkt_step (r);
      else if (c == '/' && pkt_peek_at (r, 1) == '/')
        {
          while (pkt_peek (r) >= 0 && pkt_peek (r) != '\n')
            pkt_step (r);
        }
      else if (c == '/' && pkt_peek_at (r, 1) == '*')
        {
          ScenarioLoc start = pkt_here (r);
          pkt_step (r);
          pkt_step (r);
          while (pkt_peek (r) >= 0 && !(pkt_peek (r) == '*' && pkt_peek_at (r, 1) == '/'))
            pkt_step (r);
          if (pkt_peek (r) < 0)
            return pkt_fail (error, &start, SCENARIO_ERROR_SYNTAX, "unterminated comment");
          pkt_step (r);
          pkt_step (r);
        }
      else
        return TRUE;
    }
}

gboolean
pkt_at_line_end (const Reader *r)
{
  return pkt_peek (r) < 0 || pkt_peek (r) == '\n';
}

gboolean
pkt_accept_char (Reader *r, int c, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (pkt_peek (r) != c)
    return FALSE;
  pkt_step (r);
  return TRUE;
}

gboolean
pkt_expect_char (Reader *r, int c, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (pkt_peek (r) == c)
    {
      pkt_step (r);
      return TRUE;
    }
  g_autofree char *what = g_strdup_printf ("'%c'", c);
  return pkt_fail_expected (r, what, error);
}

gboolean
pkt_is_word_char (int c)
{
  return c >= 0 && (g_ascii_isalnum (c) || c == '_');
}

/* A word: letters, digits and '_'. */
char *
pkt_read_word (Reader *r)
{
  gsize start = r->pos;
  while (pkt_is_word_char (pkt_peek (r)))
    pkt_step (r);
  return g_strndup (r->text + start, r->pos - start);
}

gboolean
pkt_accept_word (Reader *r, const char *word, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  gsize n = strlen (word);
  if (r->pos + n > r->len || strncmp (r->text + r->pos, word, n) != 0
      || pkt_is_word_char (pkt_peek_at (r, n)))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    pkt_step (r);
  return TRUE;
}

/* An unsigned decimal (or 0x hex) number up to `max`. */
gboolean
pkt_read_number (Reader *r, guint64 max, const char *what, guint64 *out, GError **error)
{
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  ScenarioLoc loc = pkt_here (r);
  gsize start = r->pos;
  gboolean hex = pkt_peek (r) == '0' && (pkt_peek_at (r, 1) == 'x' || pkt_peek_at (r, 1) == 'X');
  if (hex)
    {
      pkt_step (r);
      pkt_step (r);
    }
  while (hex ? g_ascii_isxdigit (pkt_peek (r)) : g_ascii_isdigit (pkt_peek (r)))
    pkt_step (r);
  if (r->pos == start + (hex ? 2 : 0))
    return pkt_fail_expected (r, what, error);
  g_autofree char *digits = g_strndup (r->text + start, r->pos - start);
  guint64 v = g_ascii_strtoull (digits, NULL, hex ? 16 : 10);
  if ((!hex && strlen (digits) > 20) || v > max)
    return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_NUMBER, "%s %s is out of range 0-%" G_GUINT64_FORMAT,
                 what, digits, max);
  *out = v;
  return TRUE;
}

