/* sim-text.h: bytes shown as text, one convention everywhere (narration,
 * reports, the scenario language): printable ASCII as is, \n \t \r \" \\,
 * and \xNN for every other byte. What is printed can be pasted back into a
 * scenario as a string literal. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sim_text_append_escaped (GString *out, const guint8 *data, gsize len);
/* The same between double quotes. */
void sim_text_append_quoted  (GString *out, const guint8 *data, gsize len);

G_END_DECLS
