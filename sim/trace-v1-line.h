/* trace-v1-line.h: a flat JSON object split into its members as raw JSON
 * text (keys and values exactly as written, strings still escaped), for
 * trace-v1.c and trace-v1-text.c. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Appends n bytes: a line is built of many short pieces, and GLib's
 * g_string_append_len is a call to its general insertion. */
static inline void
trace_v1_cat (GString *s, const char *p, gsize n)
{
  if (s->len + n < s->allocated_len)
    {
      memcpy (s->str + s->len, p, n);
      s->len += n;
      s->str[s->len] = '\0';
    }
  else
    g_string_append_len (s, p, (gssize) n);
}

/* A string literal. */
#define TRACE_V1_CAT(s, literal) trace_v1_cat ((s), "" literal, sizeof (literal) - 1)

#define TRACE_V1_MAX_MEMBERS 64

typedef struct {
  const char *key;     /* the key's characters, without quotes */
  gsize key_len;
  const char *value;   /* the value as written: "..." with its quotes, 12, true */
  gsize value_len;
  gboolean quote;      /* the value is a string's characters, to be written in quotes */
} TraceV1Member;

#define TRACE_V1_INDEX_SIZE 128

typedef struct _TraceV1Line {
  TraceV1Member members[TRACE_V1_MAX_MEMBERS];
  guint n;
  gboolean indexed;                   /* index is filled (a split object) */
  guint8 index[TRACE_V1_INDEX_SIZE];  /* key hash -> member + 1; 0: free */
} TraceV1Line;

/* Splits a flat object. FALSE: *why and *column (1-based) say what is
 * wrong. */
gboolean             trace_v1_line_split (TraceV1Line *line, const char *text, gsize len,
                                          const char **why, guint *column);
/* An empty object, and a member added to it (FALSE: its key is there
 * already, or the object is full). */
void                 trace_v1_line_clear (TraceV1Line *line);
gboolean             trace_v1_line_add   (TraceV1Line *line, const char *key, gsize key_len,
                                          const char *value, gsize value_len);
/* Splits a flat array: its values, with empty keys. */
gboolean             trace_v1_row_split  (TraceV1Line *line, const char *text, gsize len,
                                          const char **why, guint *column);
const TraceV1Member *trace_v1_line_get_len (const TraceV1Line *line, const char *key, gsize len);
/* The member named key, or NULL (the length of a literal key is folded). */
#define trace_v1_line_get(line, key) trace_v1_line_get_len ((line), (key), strlen (key))
gboolean             trace_v1_key_is     (const TraceV1Member *m, const char *key);
/* Whether the member's raw value is exactly `raw`. */
gboolean             trace_v1_value_is   (const TraceV1Member *m, const char *raw);
/* A string member's characters without the quotes (still escaped); NULL if
 * it is not a string. */
const char          *trace_v1_string     (const TraceV1Member *m, gsize *len);
/* An integer member's value; FALSE if it is not a plain integer. */
gboolean             trace_v1_int        (const TraceV1Member *m, gint64 *out);

/* The narration a full event's members give: what the trace does not need
 * to store (trace-v1-text.c). Appends nothing for kinds it does not know. */
void                 trace_v1_text_head  (const TraceV1Line *line, GString *out);

G_END_DECLS
