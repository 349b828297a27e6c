/* sim-time.h: virtual time, an integer count of nanoseconds. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Virtual time and durations, in nanoseconds. Never floating point. */
typedef gint64 SimTime;

#define SIM_NS ((SimTime) 1)
#define SIM_US ((SimTime) 1000)
#define SIM_MS ((SimTime) 1000000)
#define SIM_S  ((SimTime) 1000000000)
#define SIM_TIME_NEVER G_MAXINT64

gboolean sim_time_parse_duration (const char *text,
                                  SimTime    *out,
                                  const char **error_message);
char    *sim_time_format         (SimTime t);
void     sim_time_append         (GString *out, SimTime t);

G_END_DECLS
