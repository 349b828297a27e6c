/* html-viewer.c: the viewer page (html-viewer.h). The page is a skeleton;
 * plots/viewer/viewer.js draws the ladder and the state diagrams from the
 * data blocks, styled by plots/viewer/viewer.css. Both are embedded in the
 * binary at build time (plots/viewer/embed.c). */
#include "html-viewer.h"

#include "html-data.h"
#include "html-json.h"

extern const char twsim_viewer_js[];
extern const char twsim_viewer_css[];

static void
append_text (GString *out, const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    switch (*p)
      {
      case '<':
        g_string_append (out, "&lt;");
        break;
      case '>':
        g_string_append (out, "&gt;");
        break;
      case '&':
        g_string_append (out, "&amp;");
        break;
      case '"':
        g_string_append (out, "&quot;");
        break;
      default:
        g_string_append_c (out, *p);
        break;
      }
}

static void
append_head (GString *out, const char *const *names, guint n)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"generator\" content=\"twsim\">\n<title>twsim viewer: ");
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, " | ");
      append_text (out, names[i]);
    }
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, twsim_viewer_css);
  g_string_append (out, "</style>\n</head>\n");
}

void
html_viewer_write (GString *out, PlotTrace *const *traces, const char *const *names, guint n,
                   guint64 max_events)
{
  append_head (out, names, n);
  g_string_append (out, "<body>\n<noscript><p>The twsim viewer needs JavaScript.</p></noscript>\n"
                        "<div id=\"twsim-viewer\"></div>\n");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, "<script type=\"application/json\" class=\"twsim-trace\">\n");
      html_data_write (out, traces[i], names[i], max_events);
      g_string_append (out, "\n</script>\n");
    }
  g_string_append (out, "<script>\n");
  g_string_append (out, twsim_viewer_js);
  g_string_append (out, "</script>\n</body>\n</html>\n");
}
