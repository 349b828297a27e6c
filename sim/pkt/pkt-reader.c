/* pkt-reader.c: a .pkt script, event by event (times, shell lines, and
 * the packet and call lines of pkt-packets.c and pkt-calls.c), and the
 * scenario around it: the host under test, the scripted peer, the link. */
#include "pkt-cursor.h"

#include "pkt-shell.h"

#include <string.h>

/* ---- times ------------------------------------------------------------ */

/* Seconds with up to 9 decimals: "0", "1.5", ".100". */
static gboolean
read_seconds (Reader *r, SimTime *out, GError **error)
{
  ScenarioLoc loc = pkt_here (r);
  guint64 whole = 0, frac = 0;
  guint frac_digits = 0;
  gboolean any = FALSE;
  while (g_ascii_isdigit (pkt_peek (r)))
    {
      if (whole > 1000000)
        return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_TIME, "time is too far in the future");
      whole = whole * 10 + (guint64) (pkt_peek (r) - '0');
      any = TRUE;
      pkt_step (r);
    }
  if (pkt_peek (r) == '.' && g_ascii_isdigit (pkt_peek_at (r, 1)))
    {
      pkt_step (r);
      while (g_ascii_isdigit (pkt_peek (r)))
        {
          if (frac_digits == 9)
            return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_TIME,
                         "time finer than a nanosecond");
          frac = frac * 10 + (guint64) (pkt_peek (r) - '0');
          frac_digits++;
          any = TRUE;
          pkt_step (r);
        }
    }
  if (!any)
    return pkt_fail_expected (r, "a time in seconds", error);
  while (frac_digits++ < 9)
    frac *= 10;
  *out = (SimTime) (whole * (guint64) SIM_S + frac);
  return TRUE;
}

static gboolean
read_one_time (Reader *r, SimTime base, SimTime *out, GError **error)
{
  gboolean relative = FALSE;
  if (pkt_peek (r) == '+')
    {
      relative = TRUE;
      pkt_step (r);
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
  ScenarioLoc loc = pkt_here (r);
  *t = (PktTime){ 0 };
  if (pkt_peek (r) == '*')
    {
      pkt_step (r);
      t->any = TRUE;
      t->relative = TRUE;
      t->start = t->end = r->last_time;
      return TRUE;
    }
  t->relative = pkt_peek (r) == '+';
  if (!read_one_time (r, r->last_time, &t->start, error))
    return FALSE;
  t->end = t->start;
  if (pkt_peek (r) == '~')
    {
      pkt_step (r);
      if (!read_one_time (r, r->last_time, &t->end, error))
        return FALSE;
    }
  else if (pkt_peek (r) == '.' && pkt_peek_at (r, 1) == '.' && pkt_peek_at (r, 2) == '.')
    {
      pkt_step (r);
      pkt_step (r);
      pkt_step (r);
      t->blocking = TRUE;
      /* packetdrill run.c adjust_relative_event_times(): a blocking call at a
       * relative time has its end shifted by the same offset (the previous
       * event's time): `+0...0.2` after an event at 0.02 returns at 0.22. */
      gboolean end_relative = pkt_peek (r) == '+';
      if (!read_one_time (r, t->start, &t->end, error))
        return FALSE;
      if (t->relative && !end_relative)
        t->end += r->last_time;
    }
  if (t->end < t->start)
    return pkt_fail (error, &loc, SCENARIO_ERROR_BAD_TIME, "the time range ends before it starts");
  if (t->start < r->last_time)
    {
      g_autoptr (GString) prev = g_string_new (NULL);
      scenario_time_append (prev, r->last_time);
      return pkt_fail (error, &loc, SCENARIO_ERROR_TIME_BACKWARDS,
                   "time runs backwards: this is before %s on line %u", prev->str, r->last_line);
    }
  return TRUE;
}

/* ---- lines ------------------------------------------------------------- */

static gboolean
read_event (Reader *r, GError **error)
{
  ScenarioLoc loc = pkt_here (r);
  gsize line_start = r->pos;
  PktTime t = { .start = r->last_time, .end = r->last_time };
  gboolean timed = pkt_peek (r) != '`';
  if (timed && !read_time (r, &t, error))
    return FALSE;
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  gsize action_start = r->pos;
  int c = pkt_peek (r);
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
      if (!pkt_read_packet (r, &t, &loc, action_start, error))
        return FALSE;
    }
  else if (g_ascii_isalpha (c))
    {
      if (!pkt_read_call (r, &t, &loc, error))
        return FALSE;
    }
  else
    return pkt_fail_expected (r, "a packet ('<' or '>'), a call or a `shell command`", error);
  (void) line_start;
  if (!pkt_skip_blanks (r, error))
    return FALSE;
  if (!pkt_at_line_end (r))
    return pkt_fail_expected (r, "the end of the line", error);
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
      if (!pkt_skip_blanks (r, error))
        return FALSE;
      int c = pkt_peek (r);
      if (c < 0)
        return TRUE;
      if (c == '\n')
        {
          pkt_step (r);
          continue;
        }
      if (c != '`' && c != '+' && c != '*' && c != '.' && !g_ascii_isdigit (c))
        return pkt_fail_expected (r, "a time (0, +0.1, 0.1~0.2, *) or a `shell command`", error);
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
  ScenarioAddr ip = scenario_addr_ip4 (PKT_LOCAL_IP);
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
  ip = scenario_addr_ip4 (PKT_REMOTE_IP);
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
        ok = pkt_fail (error, &loc, SCENARIO_ERROR_SYNTAX, "NUL byte in the script");
      }
  ok = ok && read_all (&r, error);
  if (ok && r.events == 0)
    {
      ScenarioLoc loc = pkt_here (&r);
      ok = pkt_fail (error, &loc, SCENARIO_ERROR_SYNTAX, "the script has no event");
    }
  if (ok)
    build_hosts (&r);
  r.script->sequential = TRUE;
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

