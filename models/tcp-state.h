/* tcp-state.h: the 11 states of RFC 9293 3.3.2, spelled as the RFC does. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TCP_STATE_CLOSED,
  TCP_STATE_LISTEN,
  TCP_STATE_SYN_SENT,
  TCP_STATE_SYN_RECEIVED,
  TCP_STATE_ESTABLISHED,
  TCP_STATE_FIN_WAIT_1,
  TCP_STATE_FIN_WAIT_2,
  TCP_STATE_CLOSE_WAIT,
  TCP_STATE_CLOSING,
  TCP_STATE_LAST_ACK,
  TCP_STATE_TIME_WAIT,
} TcpState;

#define TCP_STATE_COUNT 11

const char *tcp_state_name       (TcpState state);
gboolean    tcp_state_from_name  (const char *name, TcpState *state);
/* RFC 9293 3.5: ESTABLISHED and later are "synchronized". */
gboolean    tcp_state_is_synchronized (TcpState state);

G_END_DECLS
