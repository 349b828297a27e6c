/* sim-rng.h: seeded, named random streams. The generator is our own
 * (xoshiro256** seeded by splitmix64) so that draws are identical on every
 * machine and GLib version. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SimRng SimRng;

SimRng  *sim_rng_new          (guint64 run_seed, const char *purpose);
void     sim_rng_free         (SimRng *rng);
guint64  sim_rng_next_u64     (SimRng *rng);
guint32  sim_rng_next_u32     (SimRng *rng);
/* Uniform integer in [0, bound), bound > 0, without modulo bias. */
guint64  sim_rng_below        (SimRng *rng, guint64 bound);
/* Uniform in [0, 1) with 53 bits. */
double   sim_rng_uniform      (SimRng *rng);
/* TRUE with probability p (0 <= p <= 1). */
gboolean sim_rng_chance       (SimRng *rng, double p);
/* Standard normal draw, from integers only (Irwin-Hall, in [-6, 6)). */
double   sim_rng_normal       (SimRng *rng);

G_END_DECLS
