/* host-settings.h: `key=value` settings of `host` and `link` lines, applied
 * to a TcpConfig or a link direction, with file:line:col errors. */
#pragma once

#include "scenario-script.h"
#include "tcp-config.h"
#include "link.h"
#include "socket.h"

G_BEGIN_DECLS

gboolean host_settings_apply (const GPtrArray *settings, TcpConfig *config, GError **error);
/* A whole host line: personality= first (default rfc9293), then each other
 * key overrides one field of the TCP or the socket layer. */
gboolean host_settings_apply_host (const GPtrArray *settings, TcpConfig *tcp, SockConfig *sock,
                                   GError **error);
gboolean link_settings_apply (const GPtrArray *settings, LinkDirection *dir, GError **error);
/* One line per key with its meaning, for --help-settings and the README. */
void     host_settings_describe (GString *out);
/* link-settings.c: one line per link key. */
void     link_settings_describe (GString *out);

G_END_DECLS
