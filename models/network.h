/* network.h: hosts joined by point-to-point links. Routes each segment from
 * its source host to the host that owns the destination address. */
#pragma once

#include "sim-engine.h"
#include "tcp.h"

G_BEGIN_DECLS

typedef struct _Network Network;
typedef struct _Host Host;
typedef struct _Link Link;
typedef struct _LinkDirection LinkDirection;

Network       *network_new            (SimEngine *engine);
void           network_free           (Network *network);
SimEngine     *network_engine         (Network *network);
/* Returns NULL and sets *reason if the name or an address is already used. */
Host          *network_add_host       (Network *network,
                                       const char *name,
                                       const guint32 *addrs,
                                       guint n_addrs,
                                       const TcpConfig *config);
/* The same, with the reason in *reason (caller frees) when it fails. */
Host          *network_add_host_checked (Network *network,
                                       const char *name,
                                       const guint32 *addrs,
                                       guint n_addrs,
                                       const TcpConfig *config,
                                       char **reason);
Host          *network_find_host      (Network *network, const char *name);
Host          *network_host_for_ip    (Network *network, guint32 ip);
/* Creates the link between a and b, or returns the existing one. */
Link          *network_link           (Network *network, Host *a, Host *b);
/* A tap sees every segment at the moment it is delivered to a host (after
 * the link's delay, loss and duplication), like a capture on that host's
 * interface. Taps run in the order they were added. */
typedef void (*NetworkTapFunc) (Host *to, const TcpSegment *seg, SimTime when, gpointer data);
void           network_add_tap        (Network *network, NetworkTapFunc func, gpointer data);
/* A send tap sees every segment a host transmits, when it transmits it
 * (before the link), including injected ones from the host that owns their
 * source address. `to` is the sending host here. */
void           network_add_send_tap   (Network *network, NetworkTapFunc func, gpointer data);
/* A scripted peer: the host's addresses have no TCP stack behind them.
 * What arrives there is seen by the taps and swallowed, never answered. */
void           network_set_scripted   (Host *host, gboolean scripted);
gboolean       network_host_is_scripted (Host *host);
/* Puts a hand-made segment on the network now, marked `injected`: over
 * the link from the host owning seg->src.ip to the one owning seg->dst.ip
 * (faults, delay and loss apply), or straight into the destination when
 * `direct` or when no such link exists. FALSE when no host owns the
 * destination address. */
gboolean       network_inject         (Network *network, TcpSegment *seg, gboolean direct);
/* The direction of `link` that carries segments from `from`. */
LinkDirection *link_direction_from    (Link *link, Host *from);

G_END_DECLS
