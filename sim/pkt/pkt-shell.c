/* pkt-shell.c: backquoted shell lines, mapped onto host settings. */
#include "pkt-shell.h"

#include "scenario-parser.h"

#include <string.h>

/* A sysctl and the host setting it sets; value_fmt turns the sysctl's
 * integer into the setting's value. */
typedef enum {
  MAP_NUMBER,   /* the number as is */
  MAP_SECONDS,  /* N -> "Ns" */
  MAP_MILLIS,   /* N -> "Nms" */
  MAP_SWITCH,   /* 0 -> off, else on */
  MAP_RFC1337,  /* 0 -> close, 1 -> ignore */
  MAP_TIMESTAMPS, /* 0 off; 1 on with a random offset; 2 on without */
  MAP_WSCALE,   /* 0 -> off; 1 keeps the personality's shift */
} SysctlMap;

static const struct {
  const char *sysctl;
  const char *setting;
  SysctlMap map;
  guint64 max;
} sysctls[] = {
  /* Documentation/networking/ip-sysctl.rst; each maps to one host setting. */
  { "tcp_rfc1337", "time_wait_rst", MAP_RFC1337, 1 },
  { "tcp_tw_reuse", "tw_reuse", MAP_NUMBER, 2 },
  { "tcp_tw_reuse_delay", "tw_reuse_delay", MAP_MILLIS, 600000 },
  { "tcp_timestamps", "timestamps", MAP_TIMESTAMPS, 2 },
  { "tcp_fin_timeout", "fin_timeout", MAP_SECONDS, 3600 },
  { "tcp_syn_retries", "syn_retries", MAP_NUMBER, 127 },
  { "tcp_synack_retries", "synack_retries", MAP_NUMBER, 255 },
  { "tcp_retries2", "data_retries", MAP_NUMBER, 255 },
  { "tcp_orphan_retries", "orphan_retries", MAP_NUMBER, 255 },
  { "tcp_sack", "sack", MAP_SWITCH, 1 },
  { "tcp_window_scaling", "wscale", MAP_WSCALE, 1 },
};

const char *
pkt_shell_known_sysctls (void)
{
  return "tcp_rfc1337, tcp_tw_reuse, tcp_tw_reuse_delay, tcp_timestamps, tcp_fin_timeout, "
         "tcp_syn_retries, tcp_synack_retries, tcp_retries2, tcp_orphan_retries, tcp_sack, "
         "tcp_window_scaling";
}

static void
add (GPtrArray *settings, const char *key, const char *value, const ScenarioLoc *loc)
{
  g_ptr_array_add (settings, scenario_setting_new (key, loc, value, loc));
}

static void
add_mapped (GPtrArray *settings, gsize k, guint64 v, const ScenarioLoc *loc)
{
  g_autofree char *value = NULL;
  const char *key = sysctls[k].setting;
  switch (sysctls[k].map)
    {
    case MAP_NUMBER:
      value = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
      break;
    case MAP_SECONDS:
      value = g_strdup_printf ("%" G_GUINT64_FORMAT "s", v);
      break;
    case MAP_MILLIS:
      value = g_strdup_printf ("%" G_GUINT64_FORMAT "ms", v);
      break;
    case MAP_SWITCH:
      value = g_strdup (v ? "on" : "off");
      break;
    case MAP_RFC1337:
      value = g_strdup (v ? "ignore" : "close");
      break;
    case MAP_TIMESTAMPS:
      value = g_strdup (v ? "on" : "off");
      if (v != 0)
        add (settings, "ts_random_offset", v == 1 ? "on" : "off", loc);
      break;
    case MAP_WSCALE:
      if (v != 0)
        return; /* on: the personality's own shift */
      value = g_strdup ("off");
      break;
    }
  add (settings, key, value, loc);
}

/* One `net.ipv4.KEY=VALUE` (or /proc/sys/net/ipv4/KEY=VALUE). */
static gboolean
apply_sysctl (const char *assignment, const ScenarioLoc *loc, GPtrArray *settings, GError **error)
{
  const char *name = assignment;
  if (g_str_has_prefix (name, "net.ipv4."))
    name += strlen ("net.ipv4.");
  const char *eq = strchr (name, '=');
  if (eq == NULL)
    {
      scenario_set_error_at (error, loc, SCENARIO_ERROR_SYNTAX,
                             "expected sysctl -q net.ipv4.KEY=VALUE but found '%s'", assignment);
      return FALSE;
    }
  g_autofree char *key = g_strndup (name, (gsize) (eq - name));
  const char *text = eq + 1;
  if (*text == '"' || *text == '\'')
    text++;
  g_autofree char *value = g_strdup (text);
  gsize vl = strlen (value);
  if (vl > 0 && (value[vl - 1] == '"' || value[vl - 1] == '\''))
    value[vl - 1] = '\0';
  for (gsize k = 0; k < G_N_ELEMENTS (sysctls); k++)
    if (name != assignment && strcmp (key, sysctls[k].sysctl) == 0)
      {
        guint64 v = 0;
        if (!g_ascii_string_to_unsigned (value, 10, 0, sysctls[k].max, &v, NULL))
          {
            scenario_set_error_at (error, loc, SCENARIO_ERROR_INVALID,
                                   "bad value '%s' for net.ipv4.%s (0 to %" G_GUINT64_FORMAT ")",
                                   value, key, sysctls[k].max);
            return FALSE;
          }
        add_mapped (settings, k, v, loc);
        return TRUE;
      }
  scenario_set_error_at (error, loc, SCENARIO_ERROR_INVALID,
                         "sysctl %s is not modelled (known: net.ipv4. %s)", key,
                         pkt_shell_known_sysctls ());
  return FALSE;
}

/* One command of a shell line. */
static gboolean
run_command (const char *cmd, const ScenarioLoc *loc, gboolean linux_defaults, GPtrArray *settings,
             GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (cmd, " \t", -1);
  guint n = 0;
  const char *w[16];
  for (guint i = 0; words[i] != NULL && n < G_N_ELEMENTS (w); i++)
    if (*words[i] != '\0')
      w[n++] = words[i];
  if (n == 0)
    return TRUE;
  /* ../common/defaults.sh sets packetdrill's standard Linux sysctls. For
   * the linux personality, those twsim models: packetdrill's
   * gtests/net/common/defaults.sh (copied into the kernel as
   * tools/testing/selftests/net/packetdrill/defaults.sh) sets
   * tcp_rmem="4096 540000 $((15*1024*1024))" (sk_rcvbuf 540000; window
   * scale ilog2(15 MiB) - 15 = 8), tcp_syn_retries=5,
   * tcp_synack_retries=5, tcp_timestamps=1, tcp_sack=1. For the other
   * personalities: their own defaults, which the host has already. */
  if (n == 1 && g_str_has_suffix (w[0], "defaults.sh"))
    {
      if (linux_defaults)
        {
          add (settings, "rcvbuf", "540000", loc);
          add (settings, "rmem_max", "15728640", loc);
          add (settings, "syn_retries", "5", loc);
          add (settings, "synack_retries", "5", loc);
        }
      return TRUE;
    }
  if (strcmp (w[0], "sysctl") == 0)
    {
      guint done = 0;
      for (guint i = 1; i < n; i++)
        {
          if (strcmp (w[i], "-q") == 0 || strcmp (w[i], "-w") == 0 || strcmp (w[i], "-qw") == 0)
            continue;
          if (!apply_sysctl (w[i], loc, settings, error))
            return FALSE;
          done++;
        }
      if (done > 0)
        return TRUE;
    }
  scenario_set_error_at (error, loc, SCENARIO_ERROR_INVALID,
                         "shell command '%s' is not supported: twsim runs no shell; it knows "
                         "../common/defaults.sh and sysctl -q net.ipv4.KEY=VALUE",
                         cmd);
  return FALSE;
}

gboolean
pkt_shell_read (const char *text, gsize len, gsize *pos, guint *line, guint *col,
                const char *path, gboolean linux_defaults, GPtrArray *settings, GError **error)
{
  ScenarioLoc open = { path, *line, *col };
  gsize p = *pos + 1;
  guint l = *line, c = *col + 1;
  GString *cmd = g_string_new (NULL);
  ScenarioLoc cmd_loc = { path, l, c };
  gboolean ok = TRUE;
  for (;;)
    {
      if (p >= len)
        {
          scenario_set_error_at (error, &open, SCENARIO_ERROR_SYNTAX,
                                 "unterminated shell command (no closing '`')");
          ok = FALSE;
          break;
        }
      char ch = text[p];
      if (ch == '`' || ch == '\n' || ch == ';')
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (cmd->str));
          if (!run_command (trimmed, &cmd_loc, linux_defaults, settings, error))
            {
              ok = FALSE;
              break;
            }
          g_string_truncate (cmd, 0);
        }
      else
        {
          if (cmd->len == 0 && (ch == ' ' || ch == '\t'))
            cmd_loc = (ScenarioLoc){ path, l, c + 1 };
          else if (cmd->len == 0)
            cmd_loc = (ScenarioLoc){ path, l, c };
          g_string_append_c (cmd, ch);
        }
      p++;
      if (ch == '\n')
        {
          l++;
          c = 1;
        }
      else
        c++;
      if (ch == '`')
        break;
    }
  g_string_free (cmd, TRUE);
  if (ok)
    {
      *pos = p;
      *line = l;
      *col = c;
    }
  return ok;
}
