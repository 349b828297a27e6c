/* pkt-cursor.h: what the files of the .pkt reader share: the reader's
 * state and its cursor over the script's bytes (the syntax mixes words,
 * numbers, flags like `S.` and backquoted shell text, so there is no
 * separate lexer). Private to sim/pkt. */
#pragma once

#include "pkt-reader.h"
#include "scenario-parser.h"

G_BEGIN_DECLS

typedef struct {
  const char *text;
  gsize len;
  gsize pos;
  guint line, col;
  ScenarioScript *script;
  const PktOptions *opts;
  GPtrArray *sysctl_settings; /* ScenarioSetting*, from the shell lines */
  SimTime last_time;          /* the previous event's time */
  guint last_line;
  gboolean connect_mode;      /* a connect() was seen: the remote is the server */
  GHashTable *fds;            /* "fdN" of the sockets known so far */
  guint events;
} Reader;

/* An event's time: `*` (any), START, START~END, or START...END before a
 * blocking call. */
typedef struct {
  gboolean any;        /* `*` */
  SimTime start, end;  /* end > start: a range a~b; for a call a...b, the return */
  gboolean blocking;   /* a...b */
  gboolean relative;   /* +a or `*`: counts from the previous event */
} PktTime;

int         pkt_peek          (const Reader *r);
int         pkt_peek_at       (const Reader *r, gsize ahead);
void        pkt_step          (Reader *r);
ScenarioLoc pkt_here          (const Reader *r);
/* Sets a "file:line:col: ..." error; returns FALSE. */
gboolean    pkt_fail          (GError **error, const ScenarioLoc *loc, ScenarioError code,
                               const char *format, ...) G_GNUC_PRINTF (4, 5);
char       *pkt_describe_here (const Reader *r);
gboolean    pkt_fail_expected (Reader *r, const char *what, GError **error);
/* Spaces, tabs and comments up to the end of the line. */
gboolean    pkt_skip_blanks   (Reader *r, GError **error);
gboolean    pkt_at_line_end   (const Reader *r);
gboolean    pkt_accept_char   (Reader *r, int c, GError **error);
gboolean    pkt_expect_char   (Reader *r, int c, GError **error);
gboolean    pkt_is_word_char  (int c);
char       *pkt_read_word     (Reader *r);
gboolean    pkt_accept_word   (Reader *r, const char *word, GError **error);
gboolean    pkt_read_number   (Reader *r, guint64 max, const char *what, guint64 *out,
                               GError **error);

/* pkt-packets.c: a `<` or `>` line, from its direction character. */
gboolean    pkt_read_packet (Reader *r, const PktTime *t, const ScenarioLoc *loc,
                             gsize line_start, GError **error);
/* pkt-calls.c: a call line, from the call's name. */
gboolean    pkt_read_call   (Reader *r, const PktTime *t, const ScenarioLoc *loc, GError **error);

G_END_DECLS
