/* host-override.c: a command-line host setting put into a script. */
#include "host-override.h"

#include <string.h>

static void
append_host_names (GString *out, const ScenarioScript *script)
{
  for (guint h = 0; h < script->hosts->len; h++)
    g_string_append_printf (out, "%s%s", h > 0 ? ", " : "",
                            ((const ScenarioHost *) g_ptr_array_index (script->hosts, h))->name);
}

gboolean
host_override_put (ScenarioScript *script, const char *option, const char *text, GError **error)
{
  const char *eq = strchr (text, '=');
  const char *dot = strchr (text, '.');
  if (eq == NULL || dot == NULL || dot > eq || dot == text || dot + 1 == eq || eq[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s %s: expected HOST.KEY=VALUE (e.g. server.personality=linux; HOST may be *)",
                   option, text);
      return FALSE;
    }
  g_autofree char *host = g_strndup (text, (gsize) (dot - text));
  g_autofree char *key = g_strndup (dot + 1, (gsize) (eq - dot - 1));
  gboolean found = FALSE;
  for (guint h = 0; h < script->hosts->len; h++)
    {
      ScenarioHost *sh = g_ptr_array_index (script->hosts, h);
      if (strcmp (host, "*") != 0 && strcmp (host, sh->name) != 0)
        continue;
      scenario_settings_put (sh->settings, key, eq + 1, &sh->loc);
      found = TRUE;
    }
  if (!found)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      append_host_names (names, script);
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s %s: %s has no host '%s' (its hosts: %s)", option, text, script->path, host,
                   names->str);
    }
  return found;
}
