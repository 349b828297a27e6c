/* az-model.h: what `twsim analyze` knows about a four-tuple from the wire.
 * A tuple has incarnations (one per connection that used it); each
 * incarnation has two sides, side 0 being the lower endpoint. Everything
 * here is inferred from segments seen, never from a host's memory. */
#pragma once

#include "cap-reader.h"

G_BEGIN_DECLS

#define AZ_FINGERPRINTS 16 /* data segments remembered per side */
#define AZ_KEEP_INCS 4     /* incarnations kept per tuple (older ones forgotten) */

/* A data segment, to recognise its duplicate later: seq, length and a hash
 * of the captured bytes. */
typedef struct {
  guint32 seq, len;
  guint32 hash;
  guint64 packet;
} AzPrint;

typedef struct {
  gboolean known;          /* a segment of this side was seen */
  gboolean isn_known;
  guint32 isn;             /* from its SYN */
  guint32 lo, snd_max;     /* lowest seq, highest seq + len (+SYN, +FIN) */
  gboolean ack_known;
  guint32 ack_max;         /* highest ACK it sent: its RCV.NXT */
  guint32 win;             /* last window it advertised, scaled */
  gint wscale;             /* from its SYN; -1 none */
  gboolean ts_syn;         /* its SYN carried timestamps */
  gboolean ts_known;
  guint32 ts_first, ts_last;
  gboolean fin;
  guint32 fin_seq;
  gboolean rst;
  AzPrint prints[AZ_FINGERPRINTS];
  guint n_prints, next_print;
} AzSide;

typedef struct {
  guint n;                 /* #1, #2, ... per tuple */
  int client;              /* side that sent the first SYN; -1: capture began mid-connection */
  gint64 t_first, t_last;
  guint64 first_packet;
  AzSide side[2];
  int closer;              /* side whose FIN came first; -1 none */
  gboolean tw;             /* the closer's TIME-WAIT began */
  int tw_holder;
  gint64 tw_start;
  gboolean tw_killed;
  gboolean reset;
  gboolean h2_reported, h3_reported;
  guint h2_chain;
  int h2_last_dir;
  guint stale_in, stale_out;
} AzInc;

typedef struct {
  CapEndpoint ep[2];       /* ep[0] < ep[1] */
  char *name;              /* "A <-> B" */
  char *ep_name[2];
  GPtrArray *incs;         /* AzInc *, oldest first, at most AZ_KEEP_INCS */
  guint n_incs;            /* incarnations seen in all */
  gint64 t_last;
  guint64 segments;
  /* verdict counts for the tuple's summary */
  guint reuse, h1, stale, twa, h2, h3;
  /* a stale data segment in the window, waiting for the receiver's ACK */
  gboolean pending;
  int pending_rcv;
  guint32 pending_end;
  guint pending_inc;
  /* the TIME-WAIT holder answered the new SYN from the old connection */
  gboolean tw_answered_old;
} AzTuple;

AzTuple *az_tuple_new  (const CapEndpoint *a, const CapEndpoint *b);
void     az_tuple_free (AzTuple *t);
AzInc   *az_tuple_newest (const AzTuple *t);
/* Appends a new incarnation (forgetting the oldest beyond AZ_KEEP_INCS). */
AzInc   *az_tuple_add_inc (AzTuple *t, int client, gint64 now, guint64 packet);
/* Which side sent seg: 0 if its source is ep[0]. */
int      az_tuple_side (const AzTuple *t, const CapSegment *seg);

/* Records seg (sent by side d) into inc: sequence space, ACK, window,
 * timestamps, FIN, RST and data fingerprint. */
void     az_inc_record (AzInc *inc, int d, const CapSegment *seg);
/* The segment's sequence length: payload + SYN + FIN. */
guint32  az_seg_seqlen (const CapSegment *seg);
gboolean az_inc_has_print (const AzInc *inc, int d, const CapSegment *seg, guint64 *packet);
/* A data segment of inc with the same seq and length but other bytes
 * (*packet: its packet number): two senders used these sequence numbers. */
gboolean az_inc_print_conflict (const AzInc *inc, int d, const CapSegment *seg, guint64 *packet);
/* Both FINs seen, or a RST. */
gboolean az_inc_over (const AzInc *inc);
/* Both SYNs carried timestamps (RFC 7323 3.2: then every segment does). */
gboolean az_inc_ts_on (const AzInc *inc);

G_END_DECLS
