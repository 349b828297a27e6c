/* host-override.h: `HOST.KEY=VALUE` given on the command line (`twsim
 * compare --set`): put into the script's host line as if written there,
 * so that the runner applies and checks it as any host setting
 * (host-settings.c), with the same errors. */
#pragma once

#include "scenario-script.h"

G_BEGIN_DECLS

/* HOST may be `*` (every host). `option` names the flag in messages
 * ("--set"). A malformed text or an unknown host is an error. */
gboolean host_override_put (ScenarioScript *script, const char *option, const char *text,
                            GError **error);

G_END_DECLS
