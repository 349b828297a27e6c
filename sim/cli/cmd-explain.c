/* cmd-explain.c: `twsim explain TRACE.jsonl SEG`: one segment's story
 * from a saved trace: where it came from (which host and incarnation sent
 * it, when, original or retransmission, and every copy a link made), then
 * every decision taken on it, in order, each with the rule text (RFC
 * section or kernel function) the model gave for it. */
#include "cli.h"
#include "trace-v1.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static gint64
member_int (JsonObject *o, const char *key, gint64 fallback)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  GType t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    return json_node_get_int (n);
  if (t == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n) ? 1 : 0;
  return fallback;
}

static const char *
member_str (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static void
append_time (GString *s, gint64 t)
{
  GString *tmp = g_string_new (NULL);
  sim_time_append (tmp, t);
  g_string_append_printf (s, "%10s", tmp->str);
  g_string_free (tmp, TRUE);
}

static void
append_at (GString *s, gint64 t)
{
  sim_time_append (s, t);
}

static const char *
copy_name (gint64 copy, char *buf, gsize size)
{
  if (copy == 0)
    return "the original";
  g_snprintf (buf, size, "copy %" G_GINT64_FORMAT, copy);
  return buf;
}

/* The provenance paragraph, from the segment's tcp.send. */
static void
explain_origin (GString *out, JsonObject *o, gint64 seg)
{
  g_string_append_printf (out, "segment %" G_GINT64_FORMAT ": %s seq=%" G_GINT64_FORMAT,
                          seg, member_str (o, "flags"), member_int (o, "seq", 0));
  if (strstr (member_str (o, "flags") != NULL ? member_str (o, "flags") : "", "ACK") != NULL)
    g_string_append_printf (out, " ack=%" G_GINT64_FORMAT, member_int (o, "ack", 0));
  g_string_append_printf (out, " len=%" G_GINT64_FORMAT ", %s > %s\n", member_int (o, "len", 0),
                          member_str (o, "src"), member_str (o, "dst"));
  g_string_append_printf (out, "  sent by %s at ", member_str (o, "host"));
  append_at (out, member_int (o, "t", 0));
  g_string_append_printf (out, " by incarnation #%" G_GINT64_FORMAT " (connection c%" G_GINT64_FORMAT
                          "), %s: %s\n",
                          member_int (o, "seg_inc", 0), member_int (o, "seg_conn", 0),
                          member_int (o, "rexmit", 0) ? "a retransmission" : "an original, not a retransmission",
                          member_str (o, "why") != NULL ? member_str (o, "why") : "");
}

/* One line (and its rule) for an event about the segment. */
static void
explain_event (GString *out, JsonObject *o)
{
  const char *kind = member_str (o, "kind");
  const char *host = member_str (o, "host");
  char buf[32];
  append_time (out, member_int (o, "t", 0));
  g_string_append_printf (out, "  %-8s ", host != NULL ? host : "");
  if (g_str_equal (kind, "tcp.send"))
    g_string_append_printf (out, "sent (%s)\n", member_str (o, "why"));
  else if (g_str_equal (kind, "link.send"))
    {
      g_string_append_printf (out, "link %s carries %s, arriving at ", member_str (o, "link"),
                              copy_name (member_int (o, "copy", 0), buf, sizeof buf));
      append_at (out, member_int (o, "arrive", 0));
      g_string_append_c (out, '\n');
    }
  else if (g_str_equal (kind, "link.dup") || g_str_equal (kind, "link.delay"))
    {
      g_string_append_printf (out, "link %s %s %s, arriving at ", member_str (o, "link"),
                              g_str_equal (kind, "link.dup") ? "makes" : "delays",
                              copy_name (member_int (o, "copy", 0), buf, sizeof buf));
      append_at (out, member_int (o, "arrive", 0));
      g_string_append_printf (out, "\n%22srule: %s\n", "", member_str (o, "why"));
    }
  else if (g_str_equal (kind, "link.drop") || g_str_equal (kind, "net.drop"))
    g_string_append_printf (out, "lost: %s\n", member_str (o, "text"));
  else if (g_str_equal (kind, "tcp.recv"))
    {
      g_string_append_printf (out, "%s reaches %s of incarnation #%" G_GINT64_FORMAT "%s: %s\n",
                              copy_name (member_int (o, "copy", 0), buf, sizeof buf),
                              member_str (o, "state"), member_int (o, "inc", 0),
                              member_int (o, "stale", 0) ? " (STALE: an older incarnation's)" : "",
                              member_str (o, "verdict"));
      g_string_append_printf (out, "%22srule: %s\n", "", member_str (o, "rule"));
    }
  else
    {
      g_string_append_printf (out, "%s\n", member_str (o, "text"));
      const char *rule = member_str (o, "rule");
      const char *said = member_str (o, "text");
      if (rule != NULL && (said == NULL || strstr (said, rule) == NULL))
        g_string_append_printf (out, "%22srule: %s\n", "", rule);
    }
}

static int
explain (const char *path, gint64 seg)
{
  g_autofree char *text = NULL;
  GError *error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("twsim: %s\n", error->message);
      g_error_free (error);
      return EXIT_BAD_INPUT;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GString *origin = g_string_new (NULL);
  GString *story = g_string_new (NULL);
  guint n = 0;
  int status = EXIT_SUCCESS;
  g_autoptr (TraceV1) v1 = trace_v1_new ();
  g_autoptr (GString) full = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL && status == EXIT_SUCCESS; i++)
    {
      g_autofree char *why = NULL;
      guint column = 1;
      gsize len = strlen (lines[i]);
      if (len == 0)
        continue;
      g_string_truncate (full, 0);
      if (i == 0 ? !trace_v1_header (lines[i], len, &why, &column)
                 : !trace_v1_expand (v1, lines[i], len, full, &why, &column))
        {
          g_printerr ("%s:%u:%u: %s\n", path, i + 1, column, why);
          status = EXIT_BAD_INPUT;
          break;
        }
      if (i == 0 || full->len == 0)
        continue;
      if (!json_parser_load_from_data (parser, full->str, (gssize) full->len, &error)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_printerr ("%s:%u:1: not a JSON object%s%s\n", path, i + 1, error ? ": " : "",
                      error ? error->message : "");
          g_clear_error (&error);
          status = EXIT_BAD_INPUT;
          break;
        }
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      const char *kind = member_str (o, "kind");
      if (kind == NULL || member_int (o, "seg", -1) != seg)
        continue;
      if (g_str_equal (kind, "tcp.send") && origin->len == 0)
        explain_origin (origin, o, seg);
      explain_event (story, o);
      n++;
    }
  if (status == EXIT_SUCCESS && n == 0)
    {
      g_printerr ("twsim: %s: no event names segment %" G_GINT64_FORMAT "\n", path, seg);
      status = EXIT_BAD_INPUT;
    }
  if (status == EXIT_SUCCESS)
    {
      fputs (origin->len > 0 ? origin->str : "", stdout);
      printf ("What happened to it (time, host, decision, and the rule behind it):\n%s", story->str);
    }
  g_string_free (origin, TRUE);
  g_string_free (story, TRUE);
  return status;
}

int
cmd_explain (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("TRACE.jsonl SEG - explain one segment");
  g_option_context_set_summary (ctx, "Where segment SEG (the number in `seg N` and in the trace's \"seg\") came from:\n"
                                "the host and incarnation that sent it, when, original or retransmission,\n"
                                "the copies links made of it; then every decision taken on it, in order,\n"
                                "with the rule (RFC section or kernel function) behind each.\n"
                                "Make the trace with `twsim run FILE --trace TRACE.jsonl`.\n\n"
                                "Exit status: 0 explained, 2 bad trace, no such segment, or usage.");
  if (!cli_parse_options (ctx, &argc, &argv))
    return EXIT_BAD_INPUT;
  if (argc != 3)
    return cli_usage_error ("explain needs a TRACE.jsonl and a segment number");
  char *end = NULL;
  gint64 seg = g_ascii_strtoll (argv[2], &end, 10);
  if (end == argv[2] || *end != '\0' || seg <= 0)
    return cli_usage_error ("the segment is a positive number, as in `seg 4`");
  return explain (argv[1], seg);
}
