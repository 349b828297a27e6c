/* scenario-script.c: AST constructors, destructors, lookups and dump. */
#include "scenario-script.h"

#include "scenario-index.h"

#include "sim-text.h"

#include <string.h>

static void
loc_copy (ScenarioLoc *dst, const ScenarioLoc *src)
{
  if (src != NULL)
    *dst = *src;
}

ScenarioArg *
scenario_arg_new (ScenarioArgKind kind, const ScenarioLoc *loc)
{
  ScenarioArg *arg = g_new0 (ScenarioArg, 1);
  arg->kind = kind;
  loc_copy (&arg->loc, loc);
  return arg;
}

static void
arg_clear (ScenarioArg *arg)
{
  if (arg->kind == SCENARIO_ARG_STRING)
    g_clear_pointer (&arg->bytes, g_bytes_unref);
}

void
scenario_arg_free (ScenarioArg *arg)
{
  if (arg == NULL)
    return;
  arg_clear (arg);
  g_free (arg);
}

/* A call's arguments are one block of the exact size, not an array of
 * pointers: a scenario of 10^6 lines keeps millions of them. */
void
scenario_call_add_arg (ScenarioCall *call, ScenarioArg *arg)
{
  call->args = g_renew (ScenarioArg, call->args, call->n_args + 1);
  call->args[call->n_args++] = *arg;
  g_free (arg);
}

ScenarioCall *
scenario_call_new (ScenarioCallKind kind, const ScenarioLoc *loc)
{
  ScenarioCall *call = g_new0 (ScenarioCall, 1);
  call->kind = kind;
  loc_copy (&call->loc, loc);
  return call;
}

static void
call_clear (ScenarioCall *call)
{
  for (guint i = 0; i < call->n_args; i++)
    arg_clear (&call->args[i]);
  g_free (call->args);
  g_clear_pointer (&call->expect_data, g_bytes_unref);
}

void
scenario_call_free (ScenarioCall *call)
{
  if (call == NULL)
    return;
  call_clear (call);
  g_free (call);
}

/* Like the arguments, a line's calls are one block of the exact size. */
void
scenario_step_add_call (ScenarioStep *step, ScenarioCall *call)
{
  step->calls = g_renew (ScenarioCall, step->calls, step->n_calls + 1);
  step->calls[step->n_calls++] = *call;
  g_free (call);
}

ScenarioStep *
scenario_step_new (ScenarioStepKind kind, const ScenarioLoc *loc, SimTime time)
{
  ScenarioStep *step = g_new0 (ScenarioStep, 1);
  step->kind = kind;
  loc_copy (&step->loc, loc);
  step->time = time;
  return step;
}

void
scenario_step_free (ScenarioStep *step)
{
  if (step == NULL)
    return;
  for (guint i = 0; i < step->n_calls; i++)
    call_clear (&step->calls[i]);
  g_free (step->calls);
  g_free (step->from);
  g_free (step->to);
  g_free (step->state);
  g_clear_pointer (&step->expect_bytes, g_bytes_unref);
  g_clear_pointer (&step->payload, g_bytes_unref);
  g_clear_pointer (&step->segment, scenario_segment_free);
  g_free (step);
}

ScenarioSetting *
scenario_setting_new (const char *key, const ScenarioLoc *key_loc,
                      const char *value, const ScenarioLoc *value_loc)
{
  ScenarioSetting *s = g_new0 (ScenarioSetting, 1);
  s->key = g_strdup (key);
  s->value = g_strdup (value);
  loc_copy (&s->key_loc, key_loc);
  loc_copy (&s->value_loc, value_loc);
  return s;
}

void
scenario_setting_free (ScenarioSetting *setting)
{
  if (setting == NULL)
    return;
  g_free (setting->key);
  g_free (setting->value);
  g_free (setting);
}

static GPtrArray *
settings_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_setting_free);
}

ScenarioHost *
scenario_host_new (const char *name, const ScenarioLoc *loc)
{
  ScenarioHost *host = g_new0 (ScenarioHost, 1);
  host->name = g_strdup (name);
  loc_copy (&host->loc, loc);
  host->addrs = g_array_new (FALSE, FALSE, sizeof (ScenarioAddr));
  host->settings = settings_new ();
  return host;
}

void
scenario_host_free (ScenarioHost *host)
{
  if (host == NULL)
    return;
  g_free (host->name);
  g_array_unref (host->addrs);
  g_ptr_array_unref (host->settings);
  g_free (host);
}

ScenarioProcess *
scenario_process_new (const char *name, const char *host, guint uid, const ScenarioLoc *loc)
{
  ScenarioProcess *p = g_new0 (ScenarioProcess, 1);
  p->name = g_strdup (name);
  p->host = g_strdup (host);
  p->uid = uid;
  loc_copy (&p->loc, loc);
  return p;
}

void
scenario_process_free (ScenarioProcess *process)
{
  if (process == NULL)
    return;
  g_free (process->name);
  g_free (process->host);
  g_free (process);
}

const ScenarioProcess *
scenario_script_find_process (const ScenarioScript *script, const char *name)
{
  g_return_val_if_fail (script != NULL && name != NULL, NULL);
  return scenario_index_process (script->index, script->processes, name);
}

ScenarioLink *
scenario_link_new (const char *from, const char *to, gboolean both_directions,
                   const ScenarioLoc *loc)
{
  ScenarioLink *link = g_new0 (ScenarioLink, 1);
  link->from = g_strdup (from);
  link->to = g_strdup (to);
  link->both_directions = both_directions;
  loc_copy (&link->loc, loc);
  link->settings = settings_new ();
  return link;
}

void
scenario_link_free (ScenarioLink *link)
{
  if (link == NULL)
    return;
  g_free (link->from);
  g_free (link->to);
  g_ptr_array_unref (link->settings);
  g_free (link);
}

ScenarioScript *
scenario_script_new (const char *path)
{
  ScenarioScript *script = g_new0 (ScenarioScript, 1);
  script->path = g_strdup (path);
  script->seed_loc.file = script->path;
  script->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_host_free);
  script->links = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_link_free);
  script->processes = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_process_free);
  script->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) scenario_step_free);
  script->index = scenario_index_new ();
  return script;
}

void
scenario_script_free (ScenarioScript *script)
{
  if (script == NULL)
    return;
  g_ptr_array_unref (script->hosts);
  g_ptr_array_unref (script->links);
  g_ptr_array_unref (script->processes);
  g_ptr_array_unref (script->steps);
  scenario_index_free (script->index);
  g_free (script->path);
  g_free (script);
}

const ScenarioHost *
scenario_script_find_host (const ScenarioScript *script, const char *name)
{
  g_return_val_if_fail (script != NULL && name != NULL, NULL);
  return scenario_index_host (script->index, script->hosts, name);
}

const ScenarioHost *
scenario_script_find_address (const ScenarioScript *script, ScenarioAddr ip)
{
  g_return_val_if_fail (script != NULL, NULL);
  return scenario_index_address (script->index, script->hosts, ip);
}

gboolean
scenario_host_has_family (const ScenarioHost *host, ScenarioAddrFamily family)
{
  for (guint j = 0; j < host->addrs->len; j++)
    if (g_array_index (host->addrs, ScenarioAddr, j).family == family)
      return TRUE;
  return FALSE;
}

const ScenarioSetting *
scenario_settings_find (const GPtrArray *settings, const char *key)
{
  g_return_val_if_fail (settings != NULL && key != NULL, NULL);
  for (guint i = settings->len; i > 0; i--)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i - 1);
      if (strcmp (s->key, key) == 0)
        return s;
    }
  return NULL;
}

void
scenario_settings_put (GPtrArray *settings, const char *key, const char *value,
                       const ScenarioLoc *loc)
{
  ScenarioSetting *found = (ScenarioSetting *) scenario_settings_find (settings, key);
  if (found == NULL)
    {
      g_ptr_array_add (settings, scenario_setting_new (key, loc, value, loc));
      return;
    }
  g_free (found->value);
  found->value = g_strdup (value);
}

const char *
scenario_call_kind_to_string (ScenarioCallKind kind)
{
  switch (kind)
    {
    case SCENARIO_CALL_SOCKET:
      return "socket";
    case SCENARIO_CALL_SETSOCKOPT:
      return "setsockopt";
    case SCENARIO_CALL_BIND:
      return "bind";
    case SCENARIO_CALL_LISTEN:
      return "listen";
    case SCENARIO_CALL_ACCEPT:
      return "accept";
    case SCENARIO_CALL_CONNECT:
      return "connect";
    case SCENARIO_CALL_WRITE:
      return "write";
    case SCENARIO_CALL_READ:
      return "read";
    case SCENARIO_CALL_SHUTDOWN:
      return "shutdown";
    case SCENARIO_CALL_CLOSE:
      return "close";
    case SCENARIO_CALL_EXIT:
      return "exit";
    case SCENARIO_CALL_FCNTL:
      return "fcntl";
    case SCENARIO_CALL_GETSOCKOPT:
      return "getsockopt";
    }
  g_return_val_if_reached ("?");
}

const char *
scenario_fault_action_to_string (ScenarioFaultAction action)
{
  switch (action)
    {
    case SCENARIO_FAULT_DROP:
      return "drop";
    case SCENARIO_FAULT_DUPLICATE:
      return "duplicate";
    case SCENARIO_FAULT_DELAY:
      return "delay";
    case SCENARIO_FAULT_HOLD:
      return "hold";
    }
  g_return_val_if_reached ("?");
}

const char *
scenario_verdict_kind_to_string (ScenarioVerdictKind kind)
{
  switch (kind)
    {
    case SCENARIO_VERDICT_CORRUPTION:
      return "corruption";
    case SCENARIO_VERDICT_H2:
      return "H2";
    case SCENARIO_VERDICT_H3:
      return "H3";
    case SCENARIO_VERDICT_ASSASSINATION:
      return "assassination";
    case SCENARIO_VERDICT_REUSE:
      return "reuse";
    }
  g_return_val_if_reached ("?");
}

void
scenario_time_append (GString *out, SimTime t)
{
  static const struct {
    SimTime unit;
    const char *suffix;
  } units[] = { { SIM_S, "s" }, { SIM_MS, "ms" }, { SIM_US, "us" } };

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (t != 0 && t % units[i].unit == 0)
      {
        g_string_append_printf (out, "%" G_GINT64_FORMAT "%s", t / units[i].unit,
                                units[i].suffix);
        return;
      }
  g_string_append_printf (out, "%" G_GINT64_FORMAT "%s", t, t == 0 ? "ms" : "ns");
}

static void
dump_bytes (GString *out, GBytes *bytes)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  sim_text_append_quoted (out, p, len);
}

static void
dump_ip (GString *out, ScenarioAddr ip)
{
  scenario_addr_append (out, ip);
}

static void
dump_settings (GString *out, const GPtrArray *settings)
{
  for (guint i = 0; i < settings->len; i++)
    {
      const ScenarioSetting *s = g_ptr_array_index (settings, i);
      g_string_append_printf (out, " %s=%s", s->key, s->value);
    }
}

static void
dump_arg (GString *out, const ScenarioArg *arg)
{
  switch (arg->kind)
    {
    case SCENARIO_ARG_IDENT:
      g_string_append (out, arg->ident);
      break;
    case SCENARIO_ARG_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, arg->num);
      break;
    case SCENARIO_ARG_STRING:
      dump_bytes (out, arg->bytes);
      break;
    case SCENARIO_ARG_ENDPOINT:
      if (arg->ip.family == SCENARIO_ADDR_IPV6)
        {
          g_string_append_c (out, '[');
          dump_ip (out, arg->ip);
          g_string_append_printf (out, "]:%u", arg->port);
        }
      else if (scenario_addr_is_any (arg->ip))
        g_string_append_printf (out, "*:%u", arg->port);
      else
        {
          dump_ip (out, arg->ip);
          g_string_append_printf (out, ":%u", arg->port);
        }
      break;
    case SCENARIO_ARG_PAIR:
      g_string_append_printf (out, "{%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "}",
                              arg->pair[0], arg->pair[1]);
      break;
    }
}

static void
dump_call (GString *out, const ScenarioCall *call)
{
  if (call->assign_to != NULL)
    g_string_append_printf (out, "%s = ", call->assign_to);
  g_string_append_printf (out, "%s(", scenario_call_kind_to_string (call->kind));
  for (guint i = 0; i < call->n_args; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      dump_arg (out, &call->args[i]);
    }
  g_string_append_c (out, ')');
  if (!call->has_expect)
    return;
  g_string_append_printf (out, " = %" G_GINT64_FORMAT, call->expect_ret);
  if (call->expect_errno_name != NULL)
    g_string_append_printf (out, " %s", call->expect_errno_name);
  if (call->expect_data != NULL)
    {
      g_string_append_c (out, ' ');
      dump_bytes (out, call->expect_data);
    }
}

static void
dump_selector (GString *out, const ScenarioStep *step)
{
  static const struct {
    guint8 bit;
    const char *name;
  } flags[] = {
    { SCENARIO_TCP_SYN, "SYN" }, { SCENARIO_TCP_FIN, "FIN" },
    { SCENARIO_TCP_RST, "RST" }, { SCENARIO_TCP_PSH, "PSH" },
    { SCENARIO_TCP_ACK, "ACK" }, { SCENARIO_TCP_URG, "URG" },
  };
  const char *sep = "";

  if (step->flags == 0 && !step->needs_data)
    {
      g_string_append (out, "any");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (step->flags & flags[i].bit)
      {
        g_string_append_printf (out, "%s%s", sep, flags[i].name);
        sep = "|";
      }
  if (step->needs_data)
    g_string_append_printf (out, "%sdata", sep);
}

static void
dump_fault_options (GString *out, const ScenarioStep *step)
{
  if (step->has_seq && step->seq_lo == step->seq_hi)
    g_string_append_printf (out, " seq=%u", step->seq_lo);
  else if (step->has_seq)
    g_string_append_printf (out, " seq=%u-%u", step->seq_lo, step->seq_hi);
  if (step->payload != NULL)
    {
      g_string_append (out, " payload=");
      dump_bytes (out, step->payload);
    }
  if (step->nth > 1)
    g_string_append_printf (out, " nth=%u", step->nth);
  switch (step->action)
    {
    case SCENARIO_FAULT_DROP:
      break;
    case SCENARIO_FAULT_DUPLICATE:
      if (step->copies > 1)
        g_string_append_printf (out, " copies=%u", step->copies);
      g_string_append (out, " copy_delay=");
      scenario_time_append (out, step->fault_delay);
      break;
    case SCENARIO_FAULT_DELAY:
      g_string_append (out, " by=");
      scenario_time_append (out, step->fault_delay);
      break;
    case SCENARIO_FAULT_HOLD:
      g_string_append (out, " until=");
      scenario_time_append (out, step->hold_until);
      break;
    }
}

static void
dump_inject (GString *out, const ScenarioSegment *seg)
{
  g_string_append (out, "inject ");
  dump_ip (out, seg->src_ip);
  g_string_append_printf (out, ":%u -> ", seg->src_port);
  dump_ip (out, seg->dst_ip);
  g_string_append_printf (out, ":%u", seg->dst_port);
  g_string_append_c (out, ' ');
  scenario_segment_append (out, seg);
  if (seg->direct)
    g_string_append (out, " via=direct");
}

static void
dump_expect_segment (GString *out, const ScenarioStep *step)
{
  const ScenarioSegment *seg = step->segment;
  g_string_append_printf (out, "expect segment %s ", step->host);
  if (step->var != NULL)
    g_string_append_printf (out, "%s ", step->var);
  if (!scenario_addr_is_any (seg->dst_ip))
    {
      g_string_append (out, "-> ");
      dump_ip (out, seg->dst_ip);
      if (seg->dst_port != 0)
        g_string_append_printf (out, ":%u", seg->dst_port);
      g_string_append_c (out, ' ');
    }
  scenario_segment_append (out, seg);
  if (step->time_hi > step->time)
    {
      g_string_append (out, " within=");
      scenario_time_append (out, step->time_hi - step->time);
    }
}

static void
dump_step (GString *out, const ScenarioStep *step)
{
  scenario_time_append (out, step->time);
  g_string_append_c (out, ' ');
  switch (step->kind)
    {
    case SCENARIO_STEP_CALLS:
      g_string_append_printf (out, "%s ", step->host);
      for (guint i = 0; i < step->n_calls; i++)
        {
          if (i > 0)
            g_string_append (out, "; ");
          dump_call (out, &step->calls[i]);
        }
      break;
    case SCENARIO_STEP_FAULT:
      g_string_append_printf (out, "link %s->%s %s next ", step->from, step->to,
                              scenario_fault_action_to_string (step->action));
      dump_selector (out, step);
      dump_fault_options (out, step);
      break;
    case SCENARIO_STEP_EXPECT_STATE:
      g_string_append_printf (out, "expect %s %s state %s", step->host, step->var,
                              step->state);
      break;
    case SCENARIO_STEP_EXPECT_READ:
      g_string_append_printf (out, "expect %s %s read ", step->host, step->var);
      dump_bytes (out, step->expect_bytes);
      break;
    case SCENARIO_STEP_EXPECT_VERDICT:
      g_string_append_printf (out, "expect %s", step->negated ? "no " : "");
      if (step->verdict == SCENARIO_VERDICT_CORRUPTION)
        g_string_append (out, "corruption");
      else
        g_string_append_printf (out, "hazard %s", scenario_verdict_kind_to_string (step->verdict));
      if (step->host != NULL)
        g_string_append_printf (out, " %s %s", step->host, step->var);
      break;
    case SCENARIO_STEP_CRASH:
      g_string_append_printf (out, "crash %s", step->host);
      break;
    case SCENARIO_STEP_REBOOT:
      g_string_append_printf (out, "reboot %s", step->host);
      if (step->quiet_time > 0)
        {
          g_string_append (out, " quiet=");
          scenario_time_append (out, step->quiet_time);
        }
      break;
    case SCENARIO_STEP_INJECT:
      dump_inject (out, step->segment);
      break;
    case SCENARIO_STEP_EXPECT_SEGMENT:
      dump_expect_segment (out, step);
      break;
    }
  g_string_append_c (out, '\n');
}

void
scenario_script_dump (const ScenarioScript *script, GString *out)
{
  g_return_if_fail (script != NULL && out != NULL);
  if (script->has_seed)
    g_string_append_printf (out, "seed %" G_GUINT64_FORMAT "\n", script->seed);
  for (guint i = 0; i < script->hosts->len; i++)
    {
      const ScenarioHost *host = g_ptr_array_index (script->hosts, i);
      g_string_append_printf (out, "%s %s ", host->scripted ? "peer" : "host", host->name);
      for (guint j = 0; j < host->addrs->len; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          dump_ip (out, g_array_index (host->addrs, ScenarioAddr, j));
        }
      dump_settings (out, host->settings);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < script->links->len; i++)
    {
      const ScenarioLink *link = g_ptr_array_index (script->links, i);
      g_string_append_printf (out, "link %s%s%s", link->from,
                              link->both_directions ? " " : "->", link->to);
      dump_settings (out, link->settings);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < script->processes->len; i++)
    {
      const ScenarioProcess *p = g_ptr_array_index (script->processes, i);
      g_string_append_printf (out, "process %s on %s uid=%u\n", p->name, p->host, p->uid);
    }
  for (guint i = 0; i < script->steps->len; i++)
    dump_step (out, g_ptr_array_index (script->steps, i));
  if (script->has_end)
    {
      scenario_time_append (out, script->end_time);
      g_string_append (out, " end\n");
    }
}
