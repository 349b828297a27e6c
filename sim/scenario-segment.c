/* scenario-segment.c: the segment of an `inject` or `expect segment` line,
 * and how it is written back. */
#include "scenario-script.h"

#include "sim-text.h"

ScenarioSegment *
scenario_segment_new (void)
{
  ScenarioSegment *seg = g_new0 (ScenarioSegment, 1);
  seg->options = g_array_new (FALSE, FALSE, sizeof (ScenarioOption));
  return seg;
}

void
scenario_segment_free (ScenarioSegment *seg)
{
  if (seg == NULL)
    return;
  g_clear_pointer (&seg->payload, g_bytes_unref);
  g_array_free (seg->options, TRUE);
  g_free (seg->text);
  g_free (seg);
}

static void
append_flags (GString *out, guint8 flags)
{
  static const struct {
    guint8 bit;
    const char *name;
  } order[] = {
    { SCENARIO_TCP_SYN, "SYN" }, { SCENARIO_TCP_FIN, "FIN" }, { SCENARIO_TCP_RST, "RST" },
    { SCENARIO_TCP_PSH, "PSH" }, { SCENARIO_TCP_ACK, "ACK" }, { SCENARIO_TCP_URG, "URG" },
  };
  const char *sep = "";
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    if (flags & order[i].bit)
      {
        g_string_append_printf (out, "%s%s", sep, order[i].name);
        sep = "|";
      }
  if (*sep == '\0')
    g_string_append (out, "none");
}

static void
append_option (GString *out, const ScenarioOption *o)
{
  switch (o->kind)
    {
    case SCENARIO_OPT_EOL:
      g_string_append (out, " eol");
      break;
    case SCENARIO_OPT_NOP:
      g_string_append (out, " nop");
      break;
    case SCENARIO_OPT_MSS:
      g_string_append_printf (out, " mss=%u", o->value);
      break;
    case SCENARIO_OPT_WSCALE:
      g_string_append_printf (out, " wscale=%u", o->value);
      break;
    case SCENARIO_OPT_SACK_OK:
      g_string_append (out, " sack_ok=on");
      break;
    case SCENARIO_OPT_TS:
      g_string_append_printf (out, " ts=%u/%u", o->value, o->ecr);
      break;
    }
}

void
scenario_segment_append (GString *out, const ScenarioSegment *seg)
{
  append_flags (out, seg->flags);
  if (seg->has_seq)
    g_string_append_printf (out, " seq=%u", seg->seq);
  if (seg->has_ack)
    g_string_append_printf (out, " ack=%u", seg->ack);
  if (seg->has_win)
    g_string_append_printf (out, " win=%u", seg->win);
  if (seg->has_len)
    g_string_append_printf (out, " len=%u", seg->len);
  if (seg->payload != NULL)
    {
      gsize n;
      const guint8 *data = g_bytes_get_data (seg->payload, &n);
      g_string_append (out, " payload=");
      sim_text_append_quoted (out, data, n);
    }
  for (guint i = 0; seg->has_options && i < seg->options->len; i++)
    append_option (out, &g_array_index (seg->options, ScenarioOption, i));
  if (seg->has_options && seg->options->len == 0)
    g_string_append (out, " options=none");
}
