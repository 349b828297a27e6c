/* csv.c: CSV fields (csv.h). */
#include "csv.h"

#include <string.h>

void
csv_append_field (GString *out, const char *text)
{
  gboolean quote = strpbrk (text, ",\"\r\n") != NULL;
  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}
