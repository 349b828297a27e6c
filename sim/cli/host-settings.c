/* host-settings.c: one table of host settings, one of link settings. */
#include "host-settings.h"

#include "scenario-parser.h"

#include <string.h>

typedef gboolean (*SettingApplyFunc) (const char *value, TcpConfig *config, const char **problem);

typedef struct {
  const char *key;
  const char *meaning;
  SettingApplyFunc apply;
} HostSetting;

static gboolean
parse_duration_value (const char *value, SimTime *out, const char **problem)
{
  return sim_time_parse_duration (value, out, problem);
}

static gboolean
parse_uint_value (const char *value, guint64 max, guint64 *out, const char **problem)
{
  guint64 v = 0;
  GError *error = NULL;
  if (!g_ascii_string_to_unsigned (value, 10, 0, max, &v, &error))
    {
      g_clear_error (&error);
      *problem = "expected a whole number in range";
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_switch_value (const char *value, gboolean *out, const char **problem)
{
  if (strcmp (value, "on") == 0 || strcmp (value, "1") == 0)
    *out = TRUE;
  else if (strcmp (value, "off") == 0 || strcmp (value, "0") == 0)
    *out = FALSE;
  else
    {
      *problem = "expected on or off";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_msl (const char *value, TcpConfig *c, const char **problem)
{
  if (!parse_duration_value (value, &c->msl, problem))
    return FALSE;
  if (c->msl > 3600 * SIM_S)
    {
      *problem = "MSL above one hour is not supported";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_isn (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "clock") == 0)
    {
      c->isn_kind = TCP_ISN_CLOCK_4US;
      return TRUE;
    }
  if (g_str_has_prefix (value, "fixed:"))
    {
      guint64 v;
      if (!parse_uint_value (value + 6, G_MAXUINT32, &v, problem))
        return FALSE;
      c->isn_kind = TCP_ISN_FIXED;
      c->isn_fixed = (guint32) v;
      return TRUE;
    }
  *problem = "expected fixed:N (0 <= N < 2^32) or clock";
  return FALSE;
}

static gboolean
apply_rto (const char *value, TcpConfig *c, const char **problem)
{
  if (!parse_duration_value (value, &c->rto_initial, problem))
    return FALSE;
  if (c->rto_initial <= 0)
    {
      *problem = "the RTO must be positive";
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_rto_min (const char *value, TcpConfig *c, const char **problem)
{
  return parse_duration_value (value, &c->rto_min, problem);
}

static gboolean
apply_rto_max (const char *value, TcpConfig *c, const char **problem)
{
  return parse_duration_value (value, &c->rto_max, problem);
}

static gboolean
apply_retries (const char *value, guint *out, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 100, &v, problem))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

static gboolean
apply_syn_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->syn_retries, problem);
}

static gboolean
apply_synack_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->synack_retries, problem);
}

static gboolean
apply_data_retries (const char *value, TcpConfig *c, const char **problem)
{
  return apply_retries (value, &c->data_retries, problem);
}

static gboolean
apply_rcvbuf (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 1 << 30, &v, problem))
    return FALSE;
  c->rcv_buffer = (guint32) v;
  return TRUE;
}

static gboolean
apply_sndbuf (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 1 << 30, &v, problem) || v == 0)
    {
      *problem = "expected a positive whole number of bytes";
      return FALSE;
    }
  c->snd_buffer = (guint32) v;
  return TRUE;
}

static gboolean
apply_mss (const char *value, TcpConfig *c, const char **problem)
{
  guint64 v;
  if (!parse_uint_value (value, 65535, &v, problem) || v < 1)
    {
      *problem = "expected an MSS of 1..65535 bytes";
      return FALSE;
    }
  c->mss = (guint16) v;
  return TRUE;
}

static gboolean
apply_challenge_acks (const char *value, TcpConfig *c, const char **problem)
{
  return parse_switch_value (value, &c->challenge_acks, problem);
}

static gboolean
apply_time_wait_rst (const char *value, TcpConfig *c, const char **problem)
{
  if (strcmp (value, "close") == 0)
    c->time_wait_rst = TCP_TW_RST_CLOSE;
  else if (strcmp (value, "ignore") == 0)
    c->time_wait_rst = TCP_TW_RST_IGNORE;
  else
    {
      *problem = "expected close (RFC 9293) or ignore (RFC 1337 F1)";
      return FALSE;
    }
  return TRUE;
}

static const HostSetting host_settings[] = {
  { "msl", "maximum segment lifetime; TIME-WAIT lasts 2 x msl (default 120s, RFC 9293 3.4.2)", apply_msl },
  { "isn", "initial sequence numbers: fixed:N, or clock (RFC 793 4 us clock; default)", apply_isn },
  { "rto", "initial retransmission timeout (default 1s, RFC 6298 2.1)", apply_rto },
  { "rto_min", "lower bound of the RTO (default 1s, RFC 6298 2.4)", apply_rto_min },
  { "rto_max", "upper bound of the RTO (default 60s, RFC 6298 2.5)", apply_rto_max },
  { "syn_retries", "SYN retransmissions before connect() fails with ETIMEDOUT (default 6)", apply_syn_retries },
  { "synack_retries", "SYN,ACK retransmissions before a half-open connection is dropped (default 5)", apply_synack_retries },
  { "data_retries", "data/FIN retransmissions before the connection times out (default 15)", apply_data_retries },
  { "rcvbuf", "receive buffer in bytes, the largest window announced (default 65535)", apply_rcvbuf },
  { "sndbuf", "send buffer in bytes (default 65536)", apply_sndbuf },
  { "mss", "maximum segment size announced in SYN (default 1460)", apply_mss },
  { "challenge_acks", "on/off: RFC 5961 challenge ACKs for RST and SYN (default on)", apply_challenge_acks },
  { "time_wait_rst", "close (RFC 9293, TIME-WAIT assassination) or ignore (RFC 1337 F1) (default close)", apply_time_wait_rst },
};

static GString *
known_keys (void)
{
  GString *keys = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (host_settings); i++)
    g_string_append_printf (keys, "%s%s", i ? ", " : "", host_settings[i].key);
  return keys;
}

gboolean
host_settings_apply (const GPtrArray *settings, TcpConfig *config, GError **error)
{
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      const HostSetting *found = NULL;
      for (gsize k = 0; k < G_N_ELEMENTS (host_settings) && found == NULL; k++)
        if (strcmp (host_settings[k].key, s->key) == 0)
          found = &host_settings[k];
      if (found == NULL)
        {
          g_autoptr (GString) keys = known_keys ();
          scenario_set_error_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                                 "unknown host setting '%s' (known: %s)", s->key, keys->str);
          return FALSE;
        }
      const char *problem = NULL;
      if (!found->apply (s->value, config, &problem))
        {
          scenario_set_error_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                                 "bad value '%s' for %s: %s", s->value, s->key, problem);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
link_settings_apply (const GPtrArray *settings, LinkDirection *dir, GError **error)
{
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      if (strcmp (s->key, "delay") != 0)
        {
          scenario_set_error_at (error, &s->key_loc, SCENARIO_ERROR_INVALID,
                                 "unknown link setting '%s' (known: delay)", s->key);
          return FALSE;
        }
      SimTime delay;
      const char *problem = NULL;
      if (!sim_time_parse_duration (s->value, &delay, &problem))
        {
          scenario_set_error_at (error, &s->value_loc, SCENARIO_ERROR_INVALID,
                                 "bad value '%s' for delay: %s", s->value, problem);
          return FALSE;
        }
      link_direction_set_delay (dir, delay);
    }
  return TRUE;
}

void
host_settings_describe (GString *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (host_settings); i++)
    g_string_append_printf (out, "  %-15s %s\n", host_settings[i].key, host_settings[i].meaning);
  g_string_append_printf (out, "  link: %-9s %s\n", "delay", "one-way delay of each direction (default 0)");
}
