/* tcp-state.c: state names (RFC 9293 3.3.2). */
#include "tcp-state.h"

#include <string.h>

static const char *const state_names[TCP_STATE_COUNT] = {
  [TCP_STATE_CLOSED] = "CLOSED",
  [TCP_STATE_LISTEN] = "LISTEN",
  [TCP_STATE_SYN_SENT] = "SYN-SENT",
  [TCP_STATE_SYN_RECEIVED] = "SYN-RECEIVED",
  [TCP_STATE_ESTABLISHED] = "ESTABLISHED",
  [TCP_STATE_FIN_WAIT_1] = "FIN-WAIT-1",
  [TCP_STATE_FIN_WAIT_2] = "FIN-WAIT-2",
  [TCP_STATE_CLOSE_WAIT] = "CLOSE-WAIT",
  [TCP_STATE_CLOSING] = "CLOSING",
  [TCP_STATE_LAST_ACK] = "LAST-ACK",
  [TCP_STATE_TIME_WAIT] = "TIME-WAIT",
};

const char *
tcp_state_name (TcpState state)
{
  g_return_val_if_fail ((guint) state < TCP_STATE_COUNT, "?");
  return state_names[state];
}

gboolean
tcp_state_from_name (const char *name, TcpState *state)
{
  for (guint i = 0; i < TCP_STATE_COUNT; i++)
    if (strcmp (state_names[i], name) == 0)
      {
        *state = (TcpState) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
tcp_state_is_synchronized (TcpState state)
{
  switch (state)
    {
    case TCP_STATE_CLOSED:
    case TCP_STATE_LISTEN:
    case TCP_STATE_SYN_SENT:
    case TCP_STATE_SYN_RECEIVED:
      return FALSE;
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT_1:
    case TCP_STATE_FIN_WAIT_2:
    case TCP_STATE_CLOSE_WAIT:
    case TCP_STATE_CLOSING:
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
      return TRUE;
    }
  return FALSE;
}
