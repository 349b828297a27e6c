/* tcp-isn.h: initial send sequence numbers (RFC 9293 3.4.1). */
#pragma once

#include "tcp.h"

G_BEGIN_DECLS

/* The ISS for a new connection on `tuple` (local/remote as seen by us). */
TcpSeq tcp_isn_generate (const TcpConfig *config, SimTime now, const NetFourTuple *tuple);

G_END_DECLS
