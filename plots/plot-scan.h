/* plot-scan.h: a scanner for the flat lines twsim writes in a JSON lines
 * trace: one object of strings, integers, booleans and nulls. It accepts
 * only lines it reads exactly as a JSON parser would; for anything else
 * (nesting, fractions, \u escapes, duplicate keys, a syntax error) it says
 * no, and the caller parses the line with json-glib instead. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PLOT_VAL_NONE,   /* no such member */
  PLOT_VAL_INT,
  PLOT_VAL_STR,
  PLOT_VAL_BOOL,
  PLOT_VAL_NULL,
  PLOT_VAL_OTHER,  /* a double, an object or an array (json-glib path only) */
} PlotValType;

typedef struct {
  PlotValType type;
  gint64 i;        /* INT; BOOL: 0 or 1 */
  const char *s;   /* STR, NUL-terminated, valid until the next scan */
} PlotValue;

#define PLOT_SCAN_MAX_MEMBERS 64

typedef struct {
  const char *key; /* points into the line; not NUL-terminated */
  gsize key_len;
  PlotValue value;
} PlotMember;

typedef struct {
  PlotMember members[PLOT_SCAN_MAX_MEMBERS];
  guint n;
  GString *strings; /* decoded string values */
} PlotFlatLine;

void      plot_flat_line_init  (PlotFlatLine *line);
void      plot_flat_line_clear (PlotFlatLine *line);
/* TRUE: the line is a flat object, now in `line`. */
gboolean  plot_scan_flat       (PlotFlatLine *line, const char *text, gsize len);
PlotValue plot_flat_get        (const PlotFlatLine *line, const char *key);

G_END_DECLS
