/* pkt-reader.c: the lines of a packetdrill script, read with a cursor (the
 * syntax mixes words, numbers, flags like `S.` and backquoted shell text,
 * so there is no separate lexer) and turned into scenario steps. */
#include "pkt-reader.h"

#include "pkt-shell.h"
#include "scenario-parser.h"
#include "socket.h"

#include <errno.h>
#include <string.h>

typedef struct {
  const char *text;
  gsize len;
  gsize pos;
  guint line, col;
  ScenarioScript *script;
  const PktOptions *opts;
  GPtrArray *sysctl_settings; /* ScenarioSetting*, from the shell lines */
  SimTime last_time;          /* the previous event's time */
  guint last_line;
  gboolean connect_mode;      /* a connect() was seen: the remote is the server */
  GHashTable *fds;            /* "fdN" of the sockets known so far */
  guint events;
} Reader;

/* ---- the cursor ----------------------------------------------------------- */

static int
peek (const Reader *r)
{
  return r->pos < r->len ? (guchar) r->text[r->pos] : -1;
}

static int
peek_at (const Reader *r, gsize ahead)
{
  return r->pos + ahead < r->len ? (guchar) r->text[r->pos + ahead] : -1;
}

static void
step (Reader *r)
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

static ScenarioLoc
here (const Reader *r)
{
  return (ScenarioLoc){ r->script->path, r->line, r->col };
}

static gboolean
fail (GError **error, const ScenarioLoc *loc, ScenarioError code, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError **error, const ScenarioLoc *loc, ScenarioError code, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  scenario_set_error_at (error, loc, code, "%s", msg);
  return FALSE;
}

static char *
describe_here (const Reader *r)
{
  int c = peek (r);
  if (c < 0)
    return g_strdup ("the end of the file");
  if (c == '\n')
    return g_strdup ("the end of the line");
  gsize n = 0;
  while (r->pos + n < r->len && n < 16 && !g_ascii_isspace (r->text[r->pos + n]))
    n++;
  return g_strdup_printf ("'%.*s'", (int) MAX (n, 1), r->text + r->pos);
}

static gboolean
fail_expected (Reader *r, const char *what, GError **error)
{
  ScenarioLoc loc = here (r);
  g_autofree char *found = describe_here (r);
  return fail (error, &loc, SCENARIO_ERROR_SYNTAX, "expected %s but found %s", what, found);
}

/* Spaces, tabs and comments up to the end of the line (a block comment may
 * run over several lines). */
static gboolean
skip_blanks (Reader *r, GError **error)
{
  for (;;)
    {
      int c = peek (r);
      if (c == ' ' || c == '\t' || c == '\r')
        step (r);
      else if (c == '/' && peek_at (r, 1) == '/')
        {
          while (peek (r) >= 0 && peek (r) != '\n')
            step (r);
        }
      else if (c == '/' && peek_at (r, 1) == '*')
        {
          ScenarioLoc start = here (r);
          step (r);
          step (r);
          while (peek (r) >= 0 && !(peek (r) == '*' && peek_at (r, 1) == '/'))
            step (r);
          if (peek (r) < 0)
            return fail (error, &start, SCENARIO_ERROR_SYNTAX, "unterminated comment");
          step (r);
          step (r);
        }
      else
        return TRUE;
    }
}

static gboolean
at_line_end (const Reader *r)
{
  return peek (r) < 0 || peek (r) == '\n';
}

static gboolean
accept_char (Reader *r, int c, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  if (peek (r) != c)
    return FALSE;
  step (r);
  return TRUE;
}

static gboolean
expect_char (Reader *r, int c, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  if (peek (r) == c)
    {
      step (r);
      return TRUE;
    }
  g_autofree char *what = g_strdup_printf ("'%c'", c);
  return fail_expected (r, what, error);
}

static gboolean
is_word_char (int c)
{
  return c >= 0 && (g_ascii_isalnum (c) || c == '_');
}

/* A word: letters, digits and '_'. */
static char *
read_word (Reader *r)
{
  gsize start = r->pos;
  while (is_word_char (peek (r)))
    step (r);
  return g_strndup (r->text + start, r->pos - start);
}

static gboolean
accept_word (Reader *r, const char *word, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  gsize n = strlen (word);
  if (r->pos + n > r->len || strncmp (r->text + r->pos, word, n) != 0
      || is_word_char (peek_at (r, n)))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    step (r);
  return TRUE;
}

/* An unsigned decimal (or 0x hex) number up to `max`. */
static gboolean
read_number (Reader *r, guint64 max, const char *what, guint64 *out, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  ScenarioLoc loc = here (r);
  gsize start = r->pos;
  gboolean hex = peek (r) == '0' && (peek_at (r, 1) == 'x' || peek_at (r, 1) == 'X');
  if (hex)
    {
      step (r);
      step (r);
    }
  while (hex ? g_ascii_isxdigit (peek (r)) : g_ascii_isdigit (peek (r)))
    step (r);
  if (r->pos == start + (hex ? 2 : 0))
    return fail_expected (r, what, error);
  g_autofree char *digits = g_strndup (r->text + start, r->pos - start);
  guint64 v = g_ascii_strtoull (digits, NULL, hex ? 16 : 10);
  if ((!hex && strlen (digits) > 20) || v > max)
    return fail (error, &loc, SCENARIO_ERROR_BAD_NUMBER, "%s %s is out of range 0-%" G_GUINT64_FORMAT,
                 what, digits, max);
  *out = v;
  return TRUE;
}

/* ---- times ------------------------------------------------------------ */

/* Seconds with up to 9 decimals: "0", "1.5", ".100". */
static gboolean
read_seconds (Reader *r, SimTime *out, GError **error)
{
  ScenarioLoc loc = here (r);
  guint64 whole = 0, frac = 0;
  guint frac_digits = 0;
  gboolean any = FALSE;
  while (g_ascii_isdigit (peek (r)))
    {
      if (whole > 1000000)
        return fail (error, &loc, SCENARIO_ERROR_BAD_TIME, "time is too far in the future");
      whole = whole * 10 + (guint64) (peek (r) - '0');
      any = TRUE;
      step (r);
    }
  if (peek (r) == '.' && g_ascii_isdigit (peek_at (r, 1)))
    {
      step (r);
      while (g_ascii_isdigit (peek (r)))
        {
          if (frac_digits == 9)
            return fail (error, &loc, SCENARIO_ERROR_BAD_TIME,
                         "time finer than a nanosecond");
          frac = frac * 10 + (guint64) (peek (r) - '0');
          frac_digits++;
          any = TRUE;
          step (r);
        }
    }
  if (!any)
    return fail_expected (r, "a time in seconds", error);
  while (frac_digits++ < 9)
    frac *= 10;
  *out = (SimTime) (whole * (guint64) SIM_S + frac);
  return TRUE;
}

typedef struct {
  gboolean any;        /* `*` */
  SimTime start, end;  /* end > start: a range a~b; for a call a...b, the return */
  gboolean blocking;   /* a...b */
} PktTime;

static gboolean
read_one_time (Reader *r, SimTime base, SimTime *out, GError **error)
{
  gboolean relative = FALSE;
  if (peek (r) == '+')
    {
      relative = TRUE;
      step (r);
    }
  SimTime t = 0;
  if (!read_seconds (r, &t, error))
    return FALSE;
  *out = relative ? base + t : t;
  return TRUE;
}

static gboolean
read_time (Reader *r, PktTime *t, GError **error)
{
  ScenarioLoc loc = here (r);
  *t = (PktTime){ 0 };
  if (peek (r) == '*')
    {
      step (r);
      t->any = TRUE;
      t->start = t->end = r->last_time;
      return TRUE;
    }
  gboolean start_relative = peek (r) == '+';
  if (!read_one_time (r, r->last_time, &t->start, error))
    return FALSE;
  t->end = t->start;
  if (peek (r) == '~')
    {
      step (r);
      if (!read_one_time (r, r->last_time, &t->end, error))
        return FALSE;
    }
  else if (peek (r) == '.' && peek_at (r, 1) == '.' && peek_at (r, 2) == '.')
    {
      step (r);
      step (r);
      step (r);
      t->blocking = TRUE;
      /* packetdrill run.c adjust_relative_event_times(): a blocking call at a
       * relative time has its end shifted by the same offset (the previous
       * event's time): `+0...0.2` after an event at 0.02 returns at 0.22. */
      gboolean end_relative = peek (r) == '+';
      if (!read_one_time (r, t->start, &t->end, error))
        return FALSE;
      if (start_relative && !end_relative)
        t->end += r->last_time;
    }
  if (t->end < t->start)
    return fail (error, &loc, SCENARIO_ERROR_BAD_TIME, "the time range ends before it starts");
  if (t->start < r->last_time)
    {
      g_autoptr (GString) prev = g_string_new (NULL);
      scenario_time_append (prev, r->last_time);
      return fail (error, &loc, SCENARIO_ERROR_TIME_BACKWARDS,
                   "time runs backwards: this is before %s on line %u", prev->str, r->last_line);
    }
  return TRUE;
}

/* ---- packets ----------------------------------------------------------- */

static gboolean
read_flags (Reader *r, ScenarioSegment *seg, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  gboolean any = FALSE;
  for (;;)
    {
      ScenarioLoc loc = here (r);
      guint8 bit = 0;
      switch (peek (r))
        {
        case 'F': bit = SCENARIO_TCP_FIN; break;
        case 'S': bit = SCENARIO_TCP_SYN; break;
        case 'R': bit = SCENARIO_TCP_RST; break;
        case 'P': bit = SCENARIO_TCP_PSH; break;
        case '.': bit = SCENARIO_TCP_ACK; break;
        case 'U': bit = SCENARIO_TCP_URG; break;
        case 'E': case 'W': case 'A':
          return fail (error, &loc, SCENARIO_ERROR_INVALID,
                       "ECN flag '%c' is not modelled (flags: F S R P . U)", peek (r));
        default:
          if (!any)
            return fail_expected (r, "TCP flags (F S R P . U, as in S. or F.)", error);
          return TRUE;
        }
      if (seg->flags & bit)
        return fail (error, &loc, SCENARIO_ERROR_BAD_SELECTOR, "flag '%c' appears twice", peek (r));
      seg->flags |= bit;
      any = TRUE;
      step (r);
    }
}

static void
add_option (ScenarioSegment *seg, ScenarioOptionKind kind, guint32 value, guint32 ecr)
{
  ScenarioOption o = { kind, value, ecr };
  g_array_append_val (seg->options, o);
}

static gboolean
read_option (Reader *r, ScenarioSegment *seg, GError **error)
{
  guint64 a = 0, b = 0;
  if (!skip_blanks (r, error))
    return FALSE;
  ScenarioLoc loc = here (r);
  g_autofree char *name = read_word (r);
  if (strcmp (name, "nop") == 0)
    add_option (seg, SCENARIO_OPT_NOP, 0, 0);
  else if (strcmp (name, "eol") == 0)
    add_option (seg, SCENARIO_OPT_EOL, 0, 0);
  else if (strcmp (name, "sackOK") == 0)
    add_option (seg, SCENARIO_OPT_SACK_OK, 0, 0);
  else if (strcmp (name, "mss") == 0)
    {
      if (!read_number (r, 65535, "an MSS", &a, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_MSS, (guint32) a, 0);
    }
  else if (strcmp (name, "wscale") == 0)
    {
      /* RFC 7323 2.3: shift counts above 14 are taken as 14; the byte
       * itself may hold any value. */
      if (!read_number (r, 255, "a window scale shift", &a, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_WSCALE, (guint32) a, 0);
    }
  else if (strcmp (name, "TS") == 0)
    {
      if (!accept_word (r, "val", error))
        return *error == NULL && fail_expected (r, "'val' (TS val N ecr N)", error);
      if (!read_number (r, G_MAXUINT32, "a TS value", &a, error))
        return FALSE;
      if (!accept_word (r, "ecr", error))
        return *error == NULL && fail_expected (r, "'ecr' (TS val N ecr N)", error);
      if (!read_number (r, G_MAXUINT32, "a TS echo reply", &b, error))
        return FALSE;
      add_option (seg, SCENARIO_OPT_TS, (guint32) a, (guint32) b);
    }
  else if (strcmp (name, "sack") == 0)
    return fail (error, &loc, SCENARIO_ERROR_INVALID,
                 "SACK blocks are not modelled (only the SACK-permitted option, sackOK)");
  else if (*name == '\0')
    return fail_expected (r, "a TCP option (nop, eol, mss N, wscale N, sackOK, TS val N ecr N)",
                          error);
  else
    return fail (error, &loc, SCENARIO_ERROR_INVALID,
                 "unknown or unmodelled TCP option '%s' (known: nop, eol, mss, wscale, sackOK, TS)",
                 name);
  return TRUE;
}

/* `<...>` (any options: not checked) or `<opt, opt, ...>`. */
static gboolean
read_options (Reader *r, ScenarioSegment *seg, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  if (peek (r) == '.' && peek_at (r, 1) == '.' && peek_at (r, 2) == '.')
    {
      step (r);
      step (r);
      step (r);
      seg->has_options = FALSE;
      return expect_char (r, '>', error);
    }
  do
    {
      if (!read_option (r, seg, error))
        return FALSE;
    }
  while (accept_char (r, ',', error));
  return *error == NULL && expect_char (r, '>', error);
}

static gboolean
read_seq_spec (Reader *r, ScenarioSegment *seg, guint32 *len, GError **error)
{
  guint64 start = 0, end = 0, n = 0;
  if (!read_number (r, G_MAXUINT32, "a sequence number START:END(LENGTH)", &start, error)
      || !expect_char (r, ':', error))
    return FALSE;
  ScenarioLoc end_loc = here (r);
  if (!read_number (r, G_MAXUINT32, "the end sequence number", &end, error)
      || !expect_char (r, '(', error)
      || !read_number (r, 65535, "a payload length", &n, error)
      || !expect_char (r, ')', error))
    return FALSE;
  if ((guint32) (start + n) != (guint32) end)
    return fail (error, &end_loc, SCENARIO_ERROR_INVALID,
                 "end %" G_GUINT64_FORMAT " is not start %" G_GUINT64_FORMAT " + length %" G_GUINT64_FORMAT,
                 end, start, n);
  seg->has_seq = TRUE;
  seg->seq = (guint32) start;
  *len = (guint32) n;
  return TRUE;
}

/* What follows START:END(LEN): `ack N`, `win N`, `<options>`, in order. */
static gboolean
read_packet_tail (Reader *r, ScenarioSegment *seg, gboolean *has_options, GError **error)
{
  guint64 v = 0;
  if (accept_word (r, "ack", error))
    {
      if (!read_number (r, G_MAXUINT32, "an ACK number", &v, error))
        return FALSE;
      seg->has_ack = TRUE;
      seg->ack = (guint32) v;
    }
  if (*error == NULL && accept_word (r, "win", error))
    {
      if (!read_number (r, 65535, "a window", &v, error))
        return FALSE;
      seg->has_win = TRUE;
      seg->win = (guint32) v;
    }
  if (*error == NULL && accept_char (r, '<', error))
    {
      *has_options = TRUE;
      seg->has_options = TRUE;
      return read_options (r, seg, error);
    }
  return *error == NULL;
}

static gboolean
read_packet (Reader *r, const PktTime *t, const ScenarioLoc *loc, gsize line_start,
             GError **error)
{
  gboolean inbound = peek (r) == '<';
  step (r);
  g_autoptr (ScenarioStep) st = scenario_step_new (inbound ? SCENARIO_STEP_INJECT
                                                           : SCENARIO_STEP_EXPECT_SEGMENT,
                                                   loc, t->start);
  st->host = g_strdup ("local");
  ScenarioSegment *seg = st->segment = scenario_segment_new ();
  seg->relative = TRUE;
  guint32 len = 0;
  gboolean has_options = FALSE;
  if (!skip_blanks (r, error))
    return FALSE;
  ScenarioLoc flags_loc = here (r);
  if (!read_flags (r, seg, error) || !read_seq_spec (r, seg, &len, error)
      || !read_packet_tail (r, seg, &has_options, error) || !skip_blanks (r, error))
    return FALSE;
  if (!at_line_end (r))
    return fail_expected (r, "ack N, win N, <options> or the end of the line", error);
  /* The packet as written, without its direction: "S. 0:0(0) ack 1 <...>". */
  gsize begin = line_start + 1, end = r->pos;
  while (begin < end && (r->text[begin] == ' ' || r->text[begin] == '\t'))
    begin++;
  while (end > begin && g_ascii_isspace (r->text[end - 1]))
    end--;
  seg->text = g_strndup (r->text + begin, end - begin);
  guint16 remote_port = r->connect_mode ? PKT_PORT : PKT_REMOTE_PORT;
  if (inbound)
    {
      if (t->any || t->end != t->start)
        return fail (error, loc, SCENARIO_ERROR_BAD_TIME,
                     "an inbound packet needs one exact time (no '*' or range)");
      if (!seg->has_win)
        return fail (error, &flags_loc, SCENARIO_ERROR_INVALID,
                     "window must be specified for inbound packets (win N)");
      seg->src_ip = PKT_REMOTE_IP;
      seg->src_port = remote_port;
      seg->dst_ip = PKT_LOCAL_IP;
      seg->dst_port = r->connect_mode ? 0 : PKT_PORT; /* 0: the port the host chose */
      seg->has_options = has_options;
      /* packetdrill writes the packet into the tun device and the kernel
       * has handled it before the next line runs: straight in, now. */
      seg->direct = TRUE;
      if (len > 0)
        seg->payload = g_bytes_new_take (g_malloc0 (len), len);
    }
  else
    {
      seg->dst_ip = PKT_REMOTE_IP;
      seg->has_len = TRUE;
      seg->len = len;
      /* No <...> at all: the packet must carry no option (packetdrill
       * compares the option bytes); <...>: options not checked. */
      if (!has_options)
        seg->has_options = TRUE;
      if (r->opts->any_options)
        seg->has_options = FALSE;
      /* packetdrill's tolerance: tolerance_usecs, or 12.5 % of the time
       * since the previous event if that is more (config.c,
       * tolerance_percent). */
      SimTime tol = MAX (r->opts->tolerance, (t->start - r->last_time) / 8);
      st->time_lo = t->any ? 0 : MAX (t->start - tol, 0);
      st->time_hi = t->any ? G_MAXINT64 / 2 : t->end + tol;
    }
  g_ptr_array_add (r->script->steps, g_steal_pointer (&st));
  return TRUE;
}

/* ---- socket calls ------------------------------------------------------ */

typedef enum {
  ARG_ELLIPSIS, ARG_INT, ARG_WORDS, ARG_BRACKET, ARG_BRACE, ARG_STRING,
} ArgKind;

typedef struct {
  ArgKind kind;
  ScenarioLoc loc;
  gint64 num;          /* INT; BRACKET [N] */
  char *words;         /* WORDS "O_RDWR|O_NONBLOCK"; BRACKET [WORD] */
  gint64 onoff, linger; /* BRACE {onoff=N, linger=N} */
} PktArg;

static void
pkt_arg_free (gpointer p)
{
  PktArg *a = p;
  g_free (a->words);
  g_free (a);
}

static gboolean
read_brace_arg (Reader *r, PktArg *a, GError **error)
{
  a->kind = ARG_BRACE;
  do
    {
      if (!skip_blanks (r, error))
        return FALSE;
      ScenarioLoc loc = here (r);
      g_autofree char *key = read_word (r);
      guint64 v = 0;
      if (!expect_char (r, '=', error) || !read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      if (strcmp (key, "onoff") == 0 || strcmp (key, "l_onoff") == 0)
        a->onoff = (gint64) v;
      else if (strcmp (key, "linger") == 0 || strcmp (key, "l_linger") == 0)
        a->linger = (gint64) v;
      else
        return fail (error, &loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                     "unknown field '%s' (SO_LINGER takes {onoff=N, linger=N})", key);
    }
  while (accept_char (r, ',', error));
  return *error == NULL && expect_char (r, '}', error);
}

static gboolean
read_arg (Reader *r, GPtrArray *args, GError **error)
{
  if (!skip_blanks (r, error))
    return FALSE;
  PktArg *a = g_new0 (PktArg, 1);
  g_ptr_array_add (args, a);
  a->loc = here (r);
  int c = peek (r);
  guint64 v = 0;
  if (c == '.' && peek_at (r, 1) == '.' && peek_at (r, 2) == '.')
    {
      step (r);
      step (r);
      step (r);
      a->kind = ARG_ELLIPSIS;
      return TRUE;
    }
  if (g_ascii_isdigit (c))
    {
      a->kind = ARG_INT;
      if (!read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      a->num = (gint64) v;
      return TRUE;
    }
  if (c == '[')
    {
      step (r);
      a->kind = ARG_BRACKET;
      if (!skip_blanks (r, error))
        return FALSE;
      if (g_ascii_isalpha (peek (r)))
        a->words = read_word (r);
      else if (!read_number (r, G_MAXINT32, "a number", &v, error))
        return FALSE;
      a->num = (gint64) v;
      return expect_char (r, ']', error);
    }
  if (c == '{')
    {
      step (r);
      return read_brace_arg (r, a, error);
    }
  if (c == '"')
    {
      a->kind = ARG_STRING;
      step (r);
      while (peek (r) >= 0 && peek (r) != '"' && peek (r) != '\n')
        step (r);
      if (peek (r) != '"')
        return fail (error, &a->loc, SCENARIO_ERROR_BAD_STRING, "unterminated string");
      step (r);
      return TRUE;
    }
  if (g_ascii_isalpha (c) || c == '_')
    {
      a->kind = ARG_WORDS;
      GString *w = g_string_new (NULL);
      do
        {
          if (!skip_blanks (r, error))
            {
              g_string_free (w, TRUE);
              return FALSE;
            }
          g_autofree char *word = read_word (r);
          if (*word == '\0')
            {
              g_string_free (w, TRUE);
              return fail_expected (r, "a name after '|'", error);
            }
          g_string_append_printf (w, "%s%s", w->len ? "|" : "", word);
        }
      while (accept_char (r, '|', error));
      a->words = g_string_free (w, FALSE);
      return *error == NULL;
    }
  return fail_expected (r, "an argument (a number, a name, ..., [N] or {...})", error);
}

typedef struct {
  const char *name;
  guint n_args;
} PktCallShape;

static const PktCallShape call_shapes[] = {
  { "socket", 3 }, { "setsockopt", 5 }, { "getsockopt", 5 }, { "bind", 3 }, { "listen", 2 },
  { "accept", 3 }, { "connect", 3 }, { "fcntl", 3 }, { "write", 3 }, { "send", 4 },
  { "read", 3 }, { "recv", 4 }, { "shutdown", 2 }, { "close", 1 },
};

static const PktCallShape *
find_call (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (call_shapes); i++)
    if (strcmp (call_shapes[i].name, name) == 0)
      return &call_shapes[i];
  return NULL;
}

/* The expected result: `= N`, `= -1 ERRNO`, optionally `(text)`. */
typedef struct {
  gint64 ret;
  int err;
  const char *err_name;
} PktResult;

static int
errno_by_name (const char *name)
{
  for (int e = 1; e < 200; e++)
    if (strcmp (sock_errno_name (e), name) == 0)
      return e;
  if (strcmp (name, "EWOULDBLOCK") == 0)
    return EWOULDBLOCK;
  return 0;
}

static gboolean
read_result (Reader *r, PktResult *res, GError **error)
{
  if (!expect_char (r, '=', error) || !skip_blanks (r, error))
    return FALSE;
  gboolean negative = peek (r) == '-';
  if (negative)
    step (r);
  guint64 v = 0;
  if (!read_number (r, G_MAXINT32, "the call's result", &v, error))
    return FALSE;
  res->ret = negative ? -(gint64) v : (gint64) v;
  if (!skip_blanks (r, error))
    return FALSE;
  if (res->ret != -1)
    return TRUE;
  ScenarioLoc loc = here (r);
  g_autofree char *name = read_word (r);
  if (*name == '\0')
    return fail_expected (r, "an errno name after -1 (as in -1 ECONNREFUSED)", error);
  res->err = errno_by_name (name);
  if (res->err == 0)
    return fail (error, &loc, SCENARIO_ERROR_UNKNOWN_ERRNO, "unknown errno '%s'", name);
  res->err_name = sock_errno_name (res->err);
  if (!skip_blanks (r, error))
    return FALSE;
  if (peek (r) == '(')
    {
      while (peek (r) >= 0 && peek (r) != ')' && peek (r) != '\n')
        step (r);
      if (peek (r) != ')')
        return fail (error, &loc, SCENARIO_ERROR_SYNTAX, "unterminated '(' after the errno");
      step (r);
    }
  return TRUE;
}


static ScenarioArg *
new_arg (ScenarioArgKind kind, const ScenarioLoc *loc)
{
  return scenario_arg_new (kind, loc);
}

static ScenarioArg *
ident_arg (const ScenarioLoc *loc, const char *name)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_IDENT, loc);
  a->ident = g_strdup (name);
  return a;
}

static ScenarioArg *
int_arg (const ScenarioLoc *loc, gint64 n)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_INT, loc);
  a->num = n;
  return a;
}

static ScenarioArg *
endpoint_arg (const ScenarioLoc *loc, guint32 ip, guint16 port)
{
  ScenarioArg *a = new_arg (SCENARIO_ARG_ENDPOINT, loc);
  a->ip = ip;
  a->port = port;
  return a;
}

static const PktArg *
arg_of (GPtrArray *args, guint i)
{
  return g_ptr_array_index (args, i);
}

/* The socket variable of an fd argument: "fd3". */
static gboolean
fd_var (Reader *r, const PktArg *a, char **var, GError **error)
{
  if (a->kind != ARG_INT)
    return fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a file descriptor number");
  *var = g_strdup_printf ("fd%" G_GINT64_FORMAT, a->num);
  if (!g_hash_table_contains (r->fds, *var))
    return fail (error, &a->loc, SCENARIO_ERROR_UNKNOWN_VARIABLE,
                 "fd %" G_GINT64_FORMAT " is not open in the script (socket() or accept() "
                 "returns it first)", a->num);
  return TRUE;
}

static gboolean
int_or_bracket (const PktArg *a, gint64 *out, GError **error)
{
  if ((a->kind == ARG_INT || a->kind == ARG_BRACKET) && a->words == NULL)
    {
      *out = a->num;
      return TRUE;
    }
  return fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a number or [N]");
}

static gboolean
words_arg (const PktArg *a, const char *const *allowed, const char *what, GError **error)
{
  if (a->kind == ARG_WORDS && g_strv_contains (allowed, a->words))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) allowed);
  return fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected %s (%s)", what, list);
}

static gboolean
setsockopt_args (Reader *r, GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const levels[] = { "SOL_SOCKET", "IPPROTO_TCP", "SOL_TCP", NULL };
  static const char *const opts[] = { "SO_REUSEADDR", "SO_REUSEPORT", "SO_KEEPALIVE",
                                      "TCP_NODELAY", "SO_LINGER", NULL };
  const PktArg *opt = arg_of (args, 2), *val = arg_of (args, 3);
  if (!words_arg (arg_of (args, 1), levels, "a level", error))
    return FALSE;
  if (opt->kind != ARG_WORDS || !g_strv_contains (opts, opt->words))
    return fail (error, &opt->loc, SCENARIO_ERROR_UNKNOWN_OPTION,
                 "socket option %s is not modelled (known: SO_REUSEADDR, SO_REUSEPORT, "
                 "SO_KEEPALIVE, TCP_NODELAY, SO_LINGER)", opt->kind == ARG_WORDS ? opt->words : "?");
  g_ptr_array_add (call->args, ident_arg (&opt->loc, opt->words));
  if (strcmp (opt->words, "SO_LINGER") == 0)
    {
      if (val->kind != ARG_BRACE)
        return fail (error, &val->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                     "SO_LINGER takes {onoff=N, linger=N}");
      ScenarioArg *pair = new_arg (SCENARIO_ARG_PAIR, &val->loc);
      pair->pair[0] = val->onoff;
      pair->pair[1] = val->linger;
      g_ptr_array_add (call->args, pair);
      return TRUE;
    }
  gint64 v = 0;
  if (!int_or_bracket (val, &v, error))
    return FALSE;
  g_ptr_array_add (call->args, int_arg (&val->loc, v));
  return TRUE;
}

static gboolean
getsockopt_args (GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const levels[] = { "SOL_SOCKET", NULL };
  static const char *const opts[] = { "SO_ERROR", NULL };
  const PktArg *val = arg_of (args, 3);
  if (!words_arg (arg_of (args, 1), levels, "a level", error)
      || !words_arg (arg_of (args, 2), opts, "an option getsockopt() models", error))
    return FALSE;
  g_ptr_array_add (call->args, ident_arg (&arg_of (args, 2)->loc, "SO_ERROR"));
  if (val->kind == ARG_BRACKET && val->words != NULL && errno_by_name (val->words) != 0)
    g_ptr_array_add (call->args, ident_arg (&val->loc, sock_errno_name (errno_by_name (val->words))));
  else if (val->kind == ARG_BRACKET && val->words == NULL && val->num == 0)
    g_ptr_array_add (call->args, int_arg (&val->loc, 0));
  else if (val->kind == ARG_BRACKET && val->words == NULL && strcmp (sock_errno_name ((int) val->num), "E?") != 0)
    g_ptr_array_add (call->args, ident_arg (&val->loc, sock_errno_name ((int) val->num)));
  else
    return fail (error, &val->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                 "expected [0] or [ERRNO] as the value of SO_ERROR");
  return TRUE;
}

static gboolean
fcntl_args (GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const cmds[] = { "F_SETFL", NULL };
  const PktArg *flags = arg_of (args, 2);
  if (!words_arg (arg_of (args, 1), cmds, "a command fcntl() models", error))
    return FALSE;
  g_ptr_array_add (call->args, ident_arg (&arg_of (args, 1)->loc, "F_SETFL"));
  if (flags->kind == ARG_INT)
    {
      g_ptr_array_add (call->args, int_arg (&flags->loc, 0));
      return TRUE;
    }
  if (flags->kind != ARG_WORDS)
    return fail (error, &flags->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected file status flags");
  g_auto (GStrv) words = g_strsplit (flags->words, "|", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strcmp (words[i], "O_RDWR") != 0 && strcmp (words[i], "O_NONBLOCK") != 0
        && strcmp (words[i], "O_RDONLY") != 0 && strcmp (words[i], "O_WRONLY") != 0)
      return fail (error, &flags->loc, SCENARIO_ERROR_BAD_ARGUMENTS,
                   "file status flag %s is not modelled (O_NONBLOCK, O_RDWR)", words[i]);
  if (g_strv_contains ((const char *const *) words, "O_NONBLOCK"))
    g_ptr_array_add (call->args, ident_arg (&flags->loc, "O_NONBLOCK"));
  else
    g_ptr_array_add (call->args, int_arg (&flags->loc, 0));
  return TRUE;
}

static gboolean
count_arg (GPtrArray *args, guint i, ScenarioCall *call, GError **error)
{
  const PktArg *a = arg_of (args, i);
  if (a->kind != ARG_INT)
    return fail (error, &a->loc, SCENARIO_ERROR_BAD_ARGUMENTS, "expected a byte count");
  g_ptr_array_add (call->args, int_arg (&a->loc, a->num));
  return TRUE;
}

/* The call's own arguments (after the socket variable). */
static gboolean
call_args (Reader *r, const char *name, GPtrArray *args, ScenarioCall *call, GError **error)
{
  static const char *const shuts[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR", NULL };
  const ScenarioLoc *loc = &call->loc;
  switch (call->kind)
    {
    case SCENARIO_CALL_SETSOCKOPT:
      return setsockopt_args (r, args, call, error);
    case SCENARIO_CALL_GETSOCKOPT:
      return getsockopt_args (args, call, error);
    case SCENARIO_CALL_FCNTL:
      return fcntl_args (args, call, error);
    case SCENARIO_CALL_BIND:
      g_ptr_array_add (call->args, endpoint_arg (loc, PKT_LOCAL_IP, PKT_PORT));
      return TRUE;
    case SCENARIO_CALL_CONNECT:
      r->connect_mode = TRUE;
      g_ptr_array_add (call->args, endpoint_arg (loc, PKT_REMOTE_IP, PKT_PORT));
      return TRUE;
    case SCENARIO_CALL_LISTEN:
      return count_arg (args, 1, call, error);
    case SCENARIO_CALL_WRITE:
    case SCENARIO_CALL_READ:
      return count_arg (args, 2, call, error);
    case SCENARIO_CALL_SHUTDOWN:
      if (!words_arg (arg_of (args, 1), shuts, "a shutdown mode", error))
        return FALSE;
      g_ptr_array_add (call->args, ident_arg (&arg_of (args, 1)->loc, arg_of (args, 1)->words));
      return TRUE;
    case SCENARIO_CALL_ACCEPT:
    case SCENARIO_CALL_CLOSE:
    case SCENARIO_CALL_SOCKET:
    case SCENARIO_CALL_EXIT:
      return TRUE;
    }
  (void) name;
  return TRUE;
}

static ScenarioCallKind
call_kind (const char *name)
{
  static const struct {
    const char *name;
    ScenarioCallKind kind;
  } kinds[] = {
    { "socket", SCENARIO_CALL_SOCKET }, { "setsockopt", SCENARIO_CALL_SETSOCKOPT },
    { "getsockopt", SCENARIO_CALL_GETSOCKOPT }, { "bind", SCENARIO_CALL_BIND },
    { "listen", SCENARIO_CALL_LISTEN }, { "accept", SCENARIO_CALL_ACCEPT },
    { "connect", SCENARIO_CALL_CONNECT }, { "fcntl", SCENARIO_CALL_FCNTL },
    { "write", SCENARIO_CALL_WRITE }, { "send", SCENARIO_CALL_WRITE },
    { "read", SCENARIO_CALL_READ }, { "recv", SCENARIO_CALL_READ },
    { "shutdown", SCENARIO_CALL_SHUTDOWN }, { "close", SCENARIO_CALL_CLOSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i].name, name) == 0)
      return kinds[i].kind;
  g_return_val_if_reached (SCENARIO_CALL_CLOSE);
}

static gboolean
add_call (Reader *r, const char *name, GPtrArray *args, const PktResult *res, const PktTime *t,
          const ScenarioLoc *loc, GError **error)
{
  g_autoptr (ScenarioCall) call = scenario_call_new (call_kind (name), loc);
  call->has_expect = TRUE;
  call->expect_ret = res->ret;
  call->expect_errno = res->err;
  call->expect_errno_name = res->err_name;
  if (call->kind == SCENARIO_CALL_SOCKET)
    {
      static const char *const types[] = { "SOCK_STREAM", NULL };
      if (!words_arg (arg_of (args, 1), types, "a socket type twsim models", error))
        return FALSE;
    }
  else
    {
      g_autofree char *var = NULL;
      if (!fd_var (r, arg_of (args, 0), &var, error))
        return FALSE;
      g_ptr_array_add (call->args, ident_arg (&arg_of (args, 0)->loc, var));
      if (!call_args (r, name, args, call, error))
        return FALSE;
    }
  if (call->kind == SCENARIO_CALL_SOCKET || call->kind == SCENARIO_CALL_ACCEPT)
    {
      call->assign_to = res->ret >= 0 ? g_strdup_printf ("fd%" G_GINT64_FORMAT, res->ret)
                                      : g_strdup ("fd_failed");
      /* run_system_call.c: socket() and accept() results are checked as
       * non-negative only; the script's number names the live fd. */
      call->expect_any_fd = TRUE;
      g_hash_table_add (r->fds, g_strdup (call->assign_to));
    }
  if (t->blocking)
    {
      call->has_return_window = TRUE;
      call->return_lo = MAX (t->end - r->opts->tolerance, 0);
      call->return_hi = t->end + r->opts->tolerance;
    }
  ScenarioStep *st = scenario_step_new (SCENARIO_STEP_CALLS, loc, t->start);
  st->host = g_strdup ("local");
  g_ptr_array_add (st->calls, g_steal_pointer (&call));
  g_ptr_array_add (r->script->steps, st);
  return TRUE;
}

static gboolean
read_call (Reader *r, const PktTime *t, const ScenarioLoc *loc, GError **error)
{
  ScenarioLoc name_loc = here (r);
  g_autofree char *name = read_word (r);
  const PktCallShape *shape = find_call (name);
  if (shape == NULL)
    return fail (error, &name_loc, SCENARIO_ERROR_UNKNOWN_CALL,
                 "unknown or unmodelled call '%s' (known: socket, setsockopt, getsockopt, bind, "
                 "listen, accept, connect, fcntl, write, send, read, recv, shutdown, close)",
                 name);
  if (!expect_char (r, '(', error))
    return FALSE;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (pkt_arg_free);
  if (!accept_char (r, ')', error))
    {
      if (*error != NULL)
        return FALSE;
      do
        {
          if (!read_arg (r, args, error))
            return FALSE;
        }
      while (accept_char (r, ',', error));
      if (*error != NULL || !expect_char (r, ')', error))
        return FALSE;
    }
  if (args->len != shape->n_args)
    return fail (error, &name_loc, SCENARIO_ERROR_BAD_ARGUMENTS, "%s() takes %u arguments but got %u",
                 name, shape->n_args, args->len);
  PktResult res = { 0 };
  if (!read_result (r, &res, error))
    return FALSE;
  if (t->any || t->end != t->start)
    {
      if (!t->blocking)
        return fail (error, &name_loc, SCENARIO_ERROR_BAD_TIME,
                     "a call needs one start time (or START...END for a blocking call)");
    }
  return add_call (r, name, args, &res, t, loc, error);
}

/* ---- lines ------------------------------------------------------------- */

static gboolean
read_event (Reader *r, GError **error)
{
  ScenarioLoc loc = here (r);
  gsize line_start = r->pos;
  PktTime t = { .start = r->last_time, .end = r->last_time };
  gboolean timed = peek (r) != '`';
  if (timed && !read_time (r, &t, error))
    return FALSE;
  if (!skip_blanks (r, error))
    return FALSE;
  gsize action_start = r->pos;
  int c = peek (r);
  if (c == '`')
    {
      gboolean linux_defaults = r->opts->personality == NULL
                                || strcmp (r->opts->personality, "linux") == 0;
      if (!pkt_shell_read (r->text, r->len, &r->pos, &r->line, &r->col, r->script->path,
                           linux_defaults, r->sysctl_settings, error))
        return FALSE;
    }
  else if (c == '<' || c == '>')
    {
      if (!read_packet (r, &t, &loc, action_start, error))
        return FALSE;
    }
  else if (g_ascii_isalpha (c))
    {
      if (!read_call (r, &t, &loc, error))
        return FALSE;
    }
  else
    return fail_expected (r, "a packet ('<' or '>'), a call or a `shell command`", error);
  (void) line_start;
  if (!skip_blanks (r, error))
    return FALSE;
  if (!at_line_end (r))
    return fail_expected (r, "the end of the line", error);
  r->last_time = t.start;
  r->last_line = loc.line;
  r->events++;
  return TRUE;
}

static gboolean
read_all (Reader *r, GError **error)
{
  for (;;)
    {
      if (!skip_blanks (r, error))
        return FALSE;
      int c = peek (r);
      if (c < 0)
        return TRUE;
      if (c == '\n')
        {
          step (r);
          continue;
        }
      if (c != '`' && c != '+' && c != '*' && c != '.' && !g_ascii_isdigit (c))
        return fail_expected (r, "a time (0, +0.1, 0.1~0.2, *) or a `shell command`", error);
      if (!read_event (r, error))
        return FALSE;
    }
}

/* ---- the scenario around the script ---------------------------------- */

static void
add_setting (GPtrArray *settings, const char *key, const char *value, const ScenarioLoc *loc)
{
  g_ptr_array_add (settings, scenario_setting_new (key, loc, value, loc));
}

static void
build_hosts (Reader *r)
{
  ScenarioLoc loc = { r->script->path, 1, 1 };
  ScenarioHost *local = scenario_host_new ("local", &loc);
  guint32 ip = PKT_LOCAL_IP;
  g_array_append_val (local->addrs, ip);
  add_setting (local->settings, "personality", r->opts->personality, &loc);
  for (guint i = 0; i < r->sysctl_settings->len; i++)
    {
      ScenarioSetting *s = g_ptr_array_index (r->sysctl_settings, i);
      add_setting (local->settings, s->key, s->value, &s->key_loc);
    }
  for (guint i = 0; r->opts->settings != NULL && i < r->opts->settings->len; i++)
    {
      ScenarioSetting *s = g_ptr_array_index (r->opts->settings, i);
      add_setting (local->settings, s->key, s->value, &s->key_loc);
    }
  ScenarioHost *remote = scenario_host_new ("remote", &loc);
  remote->scripted = TRUE;
  ip = PKT_REMOTE_IP;
  g_array_append_val (remote->addrs, ip);
  g_ptr_array_insert (r->script->hosts, 0, remote);
  g_ptr_array_insert (r->script->hosts, 0, local);
  g_ptr_array_add (r->script->links, scenario_link_new ("local", "remote", TRUE, &loc));
}

void
pkt_options_init (PktOptions *opts)
{
  *opts = (PktOptions){ "linux", NULL, 4 * SIM_MS, FALSE };
}

ScenarioScript *
pkt_read_string (const char *text, gssize length, const char *path, const PktOptions *opts,
                 GError **error)
{
  g_return_val_if_fail (text != NULL && opts != NULL, NULL);
  Reader r = { 0 };
  r.text = text;
  r.len = length < 0 ? strlen (text) : (gsize) length;
  r.line = r.col = 1;
  r.script = scenario_script_new (path);
  r.opts = opts;
  r.sysctl_settings = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_setting_free);
  r.fds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  for (gsize i = 0; i < r.len && ok; i++)
    if (text[i] == '\0')
      {
        ScenarioLoc loc = { r.script->path, 1, 1 };
        for (gsize j = 0; j < i; j++)
          loc.line += text[j] == '\n', loc.col = text[j] == '\n' ? 1 : loc.col + 1;
        ok = fail (error, &loc, SCENARIO_ERROR_SYNTAX, "NUL byte in the script");
      }
  ok = ok && read_all (&r, error);
  if (ok && r.events == 0)
    {
      ScenarioLoc loc = here (&r);
      ok = fail (error, &loc, SCENARIO_ERROR_SYNTAX, "the script has no event");
    }
  if (ok)
    build_hosts (&r);
  g_ptr_array_free (r.sysctl_settings, TRUE);
  g_hash_table_destroy (r.fds);
  if (!ok)
    {
      scenario_script_free (r.script);
      return NULL;
    }
  return r.script;
}

ScenarioScript *
pkt_read_file (const char *path, const PktOptions *opts, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) io_error = NULL;
  if (!g_file_get_contents (path, &text, &len, &io_error))
    {
      g_set_error (error, SCENARIO_ERROR, SCENARIO_ERROR_IO, "%s: cannot read: %s", path,
                   io_error->message);
      return NULL;
    }
  return pkt_read_string (text, (gssize) len, path, opts, error);
}
