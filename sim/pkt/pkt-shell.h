/* pkt-shell.h: the backquoted shell lines of a packetdrill script. twsim
 * runs no shell: it knows the conventional `../common/defaults.sh` (the
 * personality's defaults) and `sysctl -q net.ipv4.KEY=VALUE` for the
 * sysctls it models, which become host settings; anything else is an
 * error naming the command's line and column. */
#pragma once

#include "scenario-script.h"

G_BEGIN_DECLS

/* Reads from the opening '`' at text[*pos] to the closing one, advancing
 * *pos, *line and *col; appends ScenarioSetting* to `settings`.
 * linux_defaults: `defaults.sh` sets packetdrill's Linux sysctls (the
 * linux personality); otherwise it sets nothing. */
gboolean pkt_shell_read (const char *text, gsize len, gsize *pos, guint *line, guint *col,
                         const char *path, gboolean linux_defaults, GPtrArray *settings,
                         GError **error);
/* "tcp_rfc1337, tcp_tw_reuse, ..." (static). */
const char *pkt_shell_known_sysctls (void);

G_END_DECLS
