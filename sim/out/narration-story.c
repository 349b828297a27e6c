/* narration-story.c: the narration for students (--brief) and with
 * relative sequence numbers (--relative). See narration-story.h. */
#include "narration-story.h"

#include <string.h>

struct _NarrationStory {
  FILE *out;
  guint host_width;
  NarrationStyle style;
  GHashTable *bases; /* "src|dst|inc" -> ISN + 1 (0: unknown), as guint64 */
  GString *line;
};

NarrationStory *
narration_story_new (FILE *out, guint host_width, const NarrationStyle *style)
{
  NarrationStory *n = g_new0 (NarrationStory, 1);
  n->out = out;
  n->host_width = host_width;
  n->style = *style;
  if (n->style.width == 0)
    n->style.width = NARRATION_BRIEF_WIDTH;
  n->bases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n->line = g_string_new (NULL);
  return n;
}

void
narration_story_free (NarrationStory *n)
{
  if (n == NULL)
    return;
  g_hash_table_unref (n->bases);
  g_string_free (n->line, TRUE);
  g_free (n);
}

/* Brief: a quoted run of bytes longer than 32 characters is cut to its
 * first 32 and "..." (the full view and the trace keep it whole). */
static void
shorten_quotes (GString *body)
{
  GString *out = g_string_sized_new (body->len);
  const char *p = body->str;
  while (*p != '\0')
    {
      const char *open = strchr (p, '"');
      const char *close = open != NULL ? strchr (open + 1, '"') : NULL;
      if (close == NULL)
        break;
      g_string_append_len (out, p, open - p);
      if (g_utf8_strlen (open + 1, close - open - 1) > 32)
        {
          const char *cut = g_utf8_offset_to_pointer (open + 1, 32);
          g_string_append_len (out, open, cut - open);
          g_string_append (out, "\"...");
        }
      else
        g_string_append_len (out, open, close + 1 - open);
      p = close + 1;
    }
  g_string_append (out, p);
  g_string_assign (body, out->str);
  g_string_free (out, TRUE);
}

/* ---- wrapping ------------------------------------------------------------- */

void
narration_wrap (GString *out, const char *text, guint first_indent, guint cont_indent,
                guint width)
{
  /* Columns are counted in characters; breaks fall at spaces only, so an
   * address or a number is never cut (a word longer than the line stays
   * whole on a line of its own). */
  guint col = first_indent;
  const char *p = text;
  gboolean line_empty = TRUE;
  while (*p != '\0')
    {
      const char *sp = p;
      while (*sp == ' ')
        sp++;
      const char *end = sp;
      while (*end != '\0' && *end != ' ')
        end++;
      if (end == sp)
        break;
      /* A window "[lo, hi)" stays on one line. */
      if (*sp == '[' && end > sp && end[-1] == ',' && *end == ' ')
        {
          const char *close = end + 1;
          while (*close != '\0' && *close != ' ' && *close != ')')
            close++;
          if (*close == ')')
            {
              end = close;
              while (*end != '\0' && *end != ' ')
                end++;
            }
        }
      /* "RFC 9293" stays on one line. */
      if (end - sp == 3 && strncmp (sp, "RFC", 3) == 0 && end[0] == ' '
          && g_ascii_isdigit (end[1]))
        {
          end++;
          while (*end != '\0' && *end != ' ')
            end++;
        }
      guint spaces = (guint) (sp - p);
      guint wlen = (guint) g_utf8_strlen (sp, end - sp);
      if (!line_empty && col + spaces + wlen > width)
        {
          g_string_append_c (out, '\n');
          for (guint i = 0; i < cont_indent; i++)
            g_string_append_c (out, ' ');
          col = cont_indent;
          spaces = 0;
        }
      for (guint i = 0; i < spaces; i++)
        g_string_append_c (out, ' ');
      g_string_append_len (out, sp, end - sp);
      col += spaces + wlen;
      line_empty = FALSE;
      p = end;
    }
  g_string_append_c (out, '\n');
}

void
narration_wrap_text (GString *out, const char *text, guint width)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break; /* the text's final newline */
      guint lead = (guint) strspn (lines[i], " ");
      g_autoptr (GString) line = g_string_new (lines[i] + lead);
      shorten_quotes (line);
      g_string_append_len (out, lines[i], lead);
      narration_wrap (out, line->str, lead, lead + 4, width);
    }
}

/* ---- relative sequence numbers --------------------------------------------- */

static char *
base_key (const char *src, const char *dst, gint64 inc)
{
  return g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT, src != NULL ? src : "",
                          dst != NULL ? dst : "", inc);
}

/* A SYN fixes the first sequence number of its direction (Wireshark's
 * relative numbers: 0 is the ISN, 1 the first byte). */
static void
learn_base (NarrationStory *n, const SimTraceEvent *ev)
{
  const char *flags = sim_trace_event_str (ev, "flags");
  if (flags == NULL || strstr (flags, "SYN") == NULL)
    return;
  char *key = base_key (sim_trace_event_str (ev, "src"), sim_trace_event_str (ev, "dst"),
                        sim_trace_event_int (ev, "seg_inc", 0));
  if (g_hash_table_contains (n->bases, key))
    {
      g_free (key);
      return;
    }
  guint64 isn = (guint32) sim_trace_event_int (ev, "seq", 0);
  g_hash_table_insert (n->bases, key, GSIZE_TO_POINTER ((gsize) (isn + 1)));
  /* A segment of no incarnation (a RST to no connection) is numbered as
   * the latest incarnation of its direction. */
  g_hash_table_insert (n->bases, base_key (sim_trace_event_str (ev, "src"),
                                           sim_trace_event_str (ev, "dst"), -1),
                       GSIZE_TO_POINTER ((gsize) (isn + 1)));
}

static gboolean
lookup_base (NarrationStory *n, const char *src, const char *dst, gint64 inc, guint32 *base)
{
  g_autofree char *key = base_key (src, dst, inc != 0 ? inc : -1);
  gsize v = GPOINTER_TO_SIZE (g_hash_table_lookup (n->bases, key));
  if (v == 0)
    return FALSE;
  *base = (guint32) (v - 1);
  return TRUE;
}

static void
append_seq (GString *s, NarrationStory *n, guint32 value, const char *src, const char *dst,
            gint64 inc)
{
  guint32 base;
  if (n->style.relative && lookup_base (n, src, dst, inc, &base))
    g_string_append_printf (s, "%" G_GINT32_FORMAT, (gint32) (value - base));
  else
    g_string_append_printf (s, "%u", value);
}

/* The incarnation whose numbering a line uses: a received segment is seen
 * by the receiving connection (a stale copy shows where it lands). */
static gint64
view_inc (const SimTraceEvent *ev)
{
  gint64 inc = sim_trace_event_int (ev, "inc", 0);
  if (g_str_equal (ev->kind, "tcp.recv") && inc != 0)
    return inc;
  return sim_trace_event_int (ev, "seg_inc", 0);
}

/* The segment as "SRC > DST FLAGS seq=S ack=A len=L win=W TS=a/b #I
 * (duplicate c)", or in brief "FLAGS seq=S ack=A len=L #I (copy)". */
static void
append_segment (GString *s, NarrationStory *n, const SimTraceEvent *ev, gboolean show_copy)
{
  const char *src = sim_trace_event_str (ev, "src");
  const char *dst = sim_trace_event_str (ev, "dst");
  const char *flags = sim_trace_event_str (ev, "flags");
  gint64 inc = view_inc (ev);
  gint64 len = sim_trace_event_int (ev, "len", 0);
  if (!n->style.brief)
    g_string_append_printf (s, "%s > %s ", src, dst);
  g_string_append_printf (s, "%s seq=", flags);
  append_seq (s, n, (guint32) sim_trace_event_int (ev, "seq", 0), src, dst, inc);
  if (flags != NULL && strstr (flags, "ACK") != NULL)
    {
      g_string_append (s, " ack=");
      append_seq (s, n, (guint32) sim_trace_event_int (ev, "ack", 0), dst, src, inc);
    }
  if (!n->style.brief)
    {
      g_string_append_printf (s, " len=%" G_GINT64_FORMAT " win=%" G_GINT64_FORMAT, len,
                              sim_trace_event_int (ev, "win", 0));
      if (sim_trace_event_field (ev, "tsval") != NULL)
        g_string_append_printf (s, " TS=%u/%u", (guint32) sim_trace_event_int (ev, "tsval", 0),
                                (guint32) sim_trace_event_int (ev, "tsecr", 0));
    }
  else if (len > 0)
    g_string_append_printf (s, " len=%" G_GINT64_FORMAT, len);
  gint64 seg_inc = sim_trace_event_int (ev, "seg_inc", 0);
  if (seg_inc != 0)
    g_string_append_printf (s, " #%" G_GINT64_FORMAT, seg_inc);
  gint64 copy = sim_trace_event_int (ev, "copy", 0);
  if (!show_copy)
    return;
  if (copy != 0 && n->style.brief)
    g_string_append (s, " (copy)");
  else if (copy != 0)
    g_string_append_printf (s, " (duplicate %" G_GINT64_FORMAT ")", copy);
}

/* A rule's windows "[lo, hi)" in the receiver's relative numbers. */
static void
append_rule (GString *s, NarrationStory *n, const SimTraceEvent *ev, const char *rule)
{
  guint32 base;
  if (!n->style.relative
      || !lookup_base (n, sim_trace_event_str (ev, "src"), sim_trace_event_str (ev, "dst"),
                       view_inc (ev), &base))
    {
      g_string_append (s, rule);
      return;
    }
  const char *p = rule;
  while (*p != '\0')
    {
      const char *open = strchr (p, '[');
      guint64 lo, hi;
      char *end1 = NULL, *end2 = NULL;
      if (open == NULL)
        break;
      lo = g_ascii_strtoull (open + 1, &end1, 10);
      if (end1 != open + 1 && end1[0] == ',' && end1[1] == ' ')
        {
          hi = g_ascii_strtoull (end1 + 2, &end2, 10);
          if (end2 != end1 + 2 && *end2 == ')' && lo <= G_MAXUINT32 && hi <= G_MAXUINT32)
            {
              g_string_append_len (s, p, open - p);
              g_string_append_printf (s, "[%" G_GINT32_FORMAT ", %" G_GINT32_FORMAT ")",
                                      (gint32) ((guint32) lo - base),
                                      (gint32) ((guint32) hi - base));
              p = end2 + 1;
              continue;
            }
        }
      g_string_append_len (s, p, open + 1 - p);
      p = open + 1;
    }
  g_string_append (s, p);
}

/* ---- lines ----------------------------------------------------------------- */

/* Verdicts that need no rule in the brief view: the segment was taken. */
static gboolean
plain_verdict (const char *verdict)
{
  return verdict != NULL && (g_str_equal (verdict, "accepted") || g_str_equal (verdict, "new"));
}

/* The line for a segment event into s; FALSE when the event's own text
 * is to be used. */
static gboolean
segment_line (NarrationStory *n, const SimTraceEvent *ev, GString *s)
{
  if (g_str_equal (ev->kind, "tcp.send"))
    {
      g_string_append (s, "send ");
      append_segment (s, n, ev, TRUE);
      g_string_append_printf (s, " — %s", sim_trace_event_str (ev, "why"));
      return TRUE;
    }
  if (g_str_equal (ev->kind, "tcp.recv"))
    {
      const char *verdict = sim_trace_event_str (ev, "verdict");
      g_string_append (s, "recv ");
      append_segment (s, n, ev, TRUE);
      g_string_append_printf (s, " in %s: %s", sim_trace_event_str (ev, "state"), verdict);
      if (!n->style.brief || !plain_verdict (verdict))
        {
          g_string_append (s, " — ");
          append_rule (s, n, ev, sim_trace_event_str (ev, "rule"));
        }
      return TRUE;
    }
  gboolean dup = g_str_equal (ev->kind, "link.dup");
  gboolean delay = g_str_equal (ev->kind, "link.delay");
  gboolean drop = g_str_equal (ev->kind, "link.drop");
  if (!dup && !delay && !drop)
    return FALSE;
  GString *at = g_string_new (NULL);
  if (sim_trace_event_field (ev, "arrive") != NULL)
    sim_time_append (at, sim_trace_event_int (ev, "arrive", 0));
  gint64 seg = sim_trace_event_int (ev, "seg", 0);
  const char *why = sim_trace_event_str (ev, "why");
  if (n->style.brief)
    {
      g_string_append_printf (s, "link %s seg %" G_GINT64_FORMAT " (",
                              dup ? "copies" : delay ? "delays" : "loses", seg);
      append_segment (s, n, ev, FALSE);
      g_string_append (s, ")");
      if (dup)
        g_string_append_printf (s, ": the copy arrives at %s", at->str);
      else if (delay)
        g_string_append_printf (s, ": it arrives at %s", at->str);
    }
  else
    {
      g_string_append_printf (s, "%s %s seg %" G_GINT64_FORMAT " ",
                              sim_trace_event_str (ev, "link"),
                              dup ? "duplicated" : delay ? "delays" : "lost", seg);
      append_segment (s, n, ev, TRUE);
      if (dup)
        g_string_append_printf (s, ": the copy arrives at %s", at->str);
      else if (delay)
        g_string_append_printf (s, ": it arrives at %s", at->str);
      g_string_append_printf (s, " (%s)", why != NULL ? why : "");
    }
  g_string_free (at, TRUE);
  return TRUE;
}

/* The brief view leaves out what a student need not follow: expectations
 * that held, and timers set, cancelled and restarted (a timer that fires
 * is told by what it does). */
static gboolean
brief_skips (const SimTraceEvent *ev)
{
  if (g_str_equal (ev->kind, "scenario.check"))
    return sim_trace_event_int (ev, "ok", 0) != 0;
  if (g_str_equal (ev->kind, "tcp.timer"))
    return TRUE;
  return FALSE;
}

void
narration_story_sink (const SimTraceEvent *ev, gpointer data)
{
  NarrationStory *n = data;
  if (sim_trace_event_field (ev, "flags") != NULL)
    learn_base (n, ev);
  if (ev->text->len == 0 || g_str_equal (ev->kind, "link.send"))
    return;
  if (n->style.brief && brief_skips (ev))
    return;
  GString *body = g_string_new (NULL);
  if (!segment_line (n, ev, body))
    g_string_assign (body, ev->text->str);
  if (n->style.brief)
    shorten_quotes (body);
  GString *time = g_string_new (NULL);
  sim_time_append (time, ev->time);
  g_string_truncate (n->line, 0);
  if (n->style.brief)
    {
      g_string_append_printf (n->line, "%8s  %-*s  ", time->str, (int) n->host_width,
                              ev->host != NULL ? ev->host : "");
      /* The prefix is wider when the time or the host is. */
      guint indent = (guint) g_utf8_strlen (n->line->str, -1);
      narration_wrap (n->line, body->str, indent, indent + 2, n->style.width);
    }
  else
    g_string_append_printf (n->line, "%12s  %-*s  %s\n", time->str, (int) n->host_width,
                            ev->host != NULL ? ev->host : "", body->str);
  fputs (n->line->str, n->out);
  g_string_free (time, TRUE);
  g_string_free (body, TRUE);
}
