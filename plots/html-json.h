/* html-json.h: JSON text safe to embed in an HTML <script> element.
 * Strings are escaped so that no trace text can end the element or open a
 * comment: '<', '>' and '&' become \u003c, \u003e, \u0026, and U+2028 and
 * U+2029 (line breaks to older JavaScript) become \u2028, \u2029. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A JSON string literal, or `null` for NULL. Bytes that are not valid
 * UTF-8 become U+FFFD. */
void html_json_str (GString *out, const char *s);
/* A JSON integer. */
void html_json_int (GString *out, gint64 v);

G_END_DECLS
