/* matrix.h: `twsim matrix`: every hazard scenario under every defence
 * variant (host-setting overrides applied to every host on top of the
 * scenario), and which hazards occurred. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *scenario;   /* file name without directory and ".scn" */
  char *variant;    /* column label */
  char *settings;   /* the overrides, "time_wait_rst=ignore", or "" */
  char *hazards;    /* "H1 REUSE", "none", "n/a" (does not apply) or "error: ..." */
} MatrixCell;

/* Runs every file under every variant; cells in (file, variant) order.
 * Fails (GError) only when a file cannot be read or parsed as written. */
GPtrArray *matrix_run          (const char *const *files, guint n_files, GError **error);
/* The table as Markdown: one row per scenario, one column per variant. */
void       matrix_format_table (GPtrArray *cells, GString *out);
void       matrix_format_csv   (GPtrArray *cells, GString *out);
void       matrix_format_json  (GPtrArray *cells, GString *out);
/* The variants, for --help: "label: settings" per line. */
void       matrix_describe_variants (GString *out);

G_END_DECLS
