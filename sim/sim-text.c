/* sim-text.c: escaping of byte strings. */
#include "sim-text.h"

static gboolean
is_plain (guint8 c)
{
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
sim_text_append_escaped (GString *out, const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len;)
    {
      /* A run of plain bytes goes in at once (filler data is all plain). */
      gsize run = i;
      while (run < len && is_plain (data[run]))
        run++;
      if (run > i)
        {
          g_string_append_len (out, (const char *) data + i, (gssize) (run - i));
          i = run;
          continue;
        }
      guint8 c = data[i++];
      switch (c)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        default:
          g_string_append_printf (out, "\\x%02x", c);
        }
    }
}

void
sim_text_append_quoted (GString *out, const guint8 *data, gsize len)
{
  g_string_append_c (out, '"');
  sim_text_append_escaped (out, data, len);
  g_string_append_c (out, '"');
}
