/* loopback.c: the loopback device. A segment a host sends to itself (to
 * 127.0.0.0/8, ::1 or one of its own addresses) does not leave the host:
 * Linux ip_route_output finds it in the local table and sends it through
 * the lo device, which hands it back to the stack (loopback_xmit ->
 * netif_rx), so it arrives "at once". twsim delivers it as a separate
 * event at the same virtual time, after what is already due then, with no
 * loss, delay or fault (links model those; lo has none). */
#include "net-internal.h"

typedef struct {
  Network *network;
  Host *host;
  TcpSegment *seg;
  GList *node; /* in network->loopback */
} LoopbackDelivery;

static void
loopback_deliver (gpointer data)
{
  LoopbackDelivery *d = data;
  Network *n = d->network;
  n->loopback = g_list_delete_link (n->loopback, d->node);
  network_deliver (n, d->host, d->seg);
  tcp_segment_unref (d->seg);
  g_free (d);
}

void
loopback_send (Network *n, Host *host, TcpSegment *seg)
{
  LoopbackDelivery *d = g_new0 (LoopbackDelivery, 1);
  d->network = n;
  d->host = host;
  d->seg = tcp_segment_ref (seg);
  n->loopback = g_list_prepend (n->loopback, d);
  d->node = n->loopback;
  sim_engine_schedule_after (n->engine, 0, loopback_deliver, d);
}

/* Segments still on their way when the network goes away. */
void
loopback_free_pending (Network *n)
{
  for (GList *l = n->loopback; l != NULL; l = l->next)
    {
      LoopbackDelivery *d = l->data;
      tcp_segment_unref (d->seg);
      g_free (d);
    }
  g_list_free (n->loopback);
  n->loopback = NULL;
}
