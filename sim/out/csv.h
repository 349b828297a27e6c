/* csv.h: one CSV field (RFC 4180: quoted when it holds a comma, a quote or
 * a line break; quotes doubled). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void csv_append_field (GString *out, const char *text);

G_END_DECLS
