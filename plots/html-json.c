/* html-json.c: JSON strings escaped for an HTML <script> element. */
#include "html-json.h"

static void
append_code_unit (GString *out, guint u)
{
  g_string_append_printf (out, "\\u%04x", u);
}

static void
append_char (GString *out, gunichar c)
{
  switch (c)
    {
    case '"':
      g_string_append (out, "\\\"");
      return;
    case '\\':
      g_string_append (out, "\\\\");
      return;
    case '\n':
      g_string_append (out, "\\n");
      return;
    case '\t':
      g_string_append (out, "\\t");
      return;
    case '<':
    case '>':
    case '&':
    case 0x2028:
    case 0x2029:
      append_code_unit (out, c);
      return;
    }
  if (c < 0x20 || c == 0x7f)
    append_code_unit (out, c);
  else
    g_string_append_unichar (out, c);
}

void
html_json_str (GString *out, const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_autofree char *valid = g_utf8_make_valid (s, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    append_char (out, g_utf8_get_char (p));
  g_string_append_c (out, '"');
}

void
html_json_int (GString *out, gint64 v)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
}
