/* net-internal.h: private structures shared by network.c, link.c, host.c
 * and socket.c. Not part of the public model interface; tests may include
 * it for the delivery hook below. */
#pragma once

#include "network.h"
#include "link.h"
#include "host.h"
#include "socket.h"

G_BEGIN_DECLS

typedef struct _SockTable SockTable;

/* Replaces delivery into the destination TcpStack (tests of the link alone).
 * Called with a borrowed reference when a segment arrives at `to`. */
typedef void (*NetDeliverFunc) (Host *to, TcpSegment *seg, gpointer data);

struct _Network {
  SimEngine *engine;
  GPtrArray *hosts;          /* Host *, owned, in creation order (iterate this) */
  GHashTable *host_by_name;  /* name -> Host *; lookups only, never iterated */
  GHashTable *host_by_ip;    /* NetAddr * -> Host *; lookups only */
  GPtrArray *links;          /* Link *, owned, in creation order */
  TcpIncarnations *incarnations;
  NetDeliverFunc deliver;    /* NULL: tcp_stack_segment_arrives */
  GArray *taps;              /* NetworkTap, in the order added */
  GArray *send_taps;         /* NetworkTap, called as a host transmits */
  gpointer deliver_data;
  GList *loopback;           /* segments on the lo device (loopback.c) */
  /* host_by_ip answers remembered, direct-mapped by net_route_cache_slot:
   * a host's addresses never change, so an answer found stays true. */
  struct {
    NetAddr ip;
    Host *host;              /* NULL: empty */
  } route_cache[64];
};

/* loopback.c */
void loopback_send         (Network *network, Host *host, TcpSegment *seg);
void loopback_free_pending (Network *network);

struct _Host {
  Network *network;
  char *name;
  GArray *addrs;             /* NetAddr; [0] is primary */
  TcpStack *tcp;
  SockTable *sockets;
  gboolean dying;            /* set while the host is being freed */
  gboolean scripted;         /* a scripted peer: no TCP behind its addresses */
};

struct _LinkDirection {
  Link *link;
  Host *from;
  Host *to;
  char *name;                /* "client->server" */
  LinkParams params;         /* delay, jitter, rate, loss, dup, reorder */
  GPtrArray *faults;         /* LinkFault *, armed one-shot faults, in arming order */
  /* Scheduled deliveries, in scheduling order: a list threaded through
   * them; finished ones are kept on `spare` for reuse (no malloc a segment). */
  struct _LinkDelivery *in_flight_head, *in_flight_tail;
  struct _LinkDelivery *spare;
  SimTime busy_until;        /* end of the last serialisation (rate > 0) */
  GArray *tx_ends;           /* SimTime: when each queued segment finishes
                              * serialising; the live ones from tx_ends_head */
  guint tx_ends_head;
  SimRng *rng_loss, *rng_jitter, *rng_reorder, *rng_dup, *rng_dup_delay;
};

struct _Link {
  Network *network;
  LinkDirection ab;          /* a -> b */
  LinkDirection ba;          /* b -> a */
};

/* network.c: the TcpOutputFunc of every host's stack (data = Host *). */
void     network_route          (TcpSegment *seg, gpointer data);
/* Hands out the next segment id (1, 2, ...). */
guint64  network_next_segment_id (Network *network);
/* Delivers a segment that arrived over a link at host `to`. */
void     network_deliver        (Network *network, Host *to, TcpSegment *seg);
void     network_set_deliver_func (Network *network, NetDeliverFunc func, gpointer data);

/* link.c */
Link    *link_new               (Network *network, Host *a, Host *b);
void     link_free              (Link *link);

/* host.c */
Host    *host_new               (Network *network, const char *name,
                                 const NetAddr *addrs, guint n_addrs,
                                 const TcpConfig *config);
void     host_free              (Host *host);

/* socket.c: the socket table of one host. */
SockTable *sock_table_new       (Host *host);
void       sock_table_free      (SockTable *table);

/* The common start of every trace event published by these models. */
static inline gboolean
net_trace_active (Network *network)
{
  return sim_trace_active (sim_engine_trace (network->engine));
}

G_END_DECLS
