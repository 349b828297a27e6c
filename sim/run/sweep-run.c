/* sweep-run.c: running a sweep's (point, seed) pairs, on this process or
 * on worker processes (fork), and counting what each grid point found.
 * The script is parsed once, before the workers start; each worker puts a
 * point's settings into its own copy of it and builds one runner per run.
 * Workers send one fixed-size record per run through a pipe; the parent
 * only adds them up, so the counts do not depend on how runs were split. */
#include "sweep.h"

#include "scenario-runner.h"
#include "verdicts.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one run found, as sent from a worker. */
typedef struct {
  guint32 point;
  guint32 flags;
} RunRecord;

#define RUN_HELD      (1u << 0)
#define RUN_CAPPED    (1u << 1)
#define RUN_FAILED    (1u << 2) /* the runner could not be built */
#define RUN_VERDICT_0 3         /* bits 3.. : one per verdict */
#define RECORDS_PER_WRITE 512

static const ScenarioVerdictKind verdict_kinds[SWEEP_N_VERDICTS] = {
  SCENARIO_VERDICT_CORRUPTION, SCENARIO_VERDICT_H2, SCENARIO_VERDICT_H3,
  SCENARIO_VERDICT_ASSASSINATION, SCENARIO_VERDICT_REUSE,
};

typedef struct {
  SweepSpec *spec;
  ScenarioScript *script;
  guint64 max_events;
  guint applied_point;   /* the point whose settings the script holds */
  guint shard_index, shard_count;
  guint64 total;         /* runs of this shard */
} SweepWork;

static guint32
run_one (SweepWork *w, guint point, guint64 seed)
{
  if (point != w->applied_point)
    {
      /* Checked for every point before any run: cannot fail here. */
      if (!sweep_apply_point (w->spec, point, w->script, NULL))
        return RUN_FAILED;
      w->applied_point = point;
    }
  ScenarioRunner *r = scenario_runner_new (w->script, TRUE, seed, NULL);
  if (r == NULL)
    return RUN_FAILED;
  SimRunOutcome outcome = scenario_runner_run (r, SIM_TIME_NEVER, w->max_events);
  guint32 flags = 0;
  if (outcome == SIM_RUN_EVENT_CAP)
    flags |= RUN_CAPPED;
  if (scenario_runner_all_held (r))
    flags |= RUN_HELD;
  Verdicts *v = scenario_runner_verdicts (r);
  for (guint k = 0; k < SWEEP_N_VERDICTS; k++)
    if (verdicts_count (v, verdict_kinds[k], NULL, 0) > 0)
      flags |= 1u << (RUN_VERDICT_0 + k);
  scenario_runner_free (r);
  return flags;
}

/* The j-th run of the shard: its global index is shard_index + j * shard_count. */
static void
run_of_shard (const SweepWork *w, guint64 j, guint *point, guint64 *seed)
{
  guint64 seeds = sweep_spec_seeds (w->spec);
  guint64 i = w->shard_index + j * w->shard_count;
  *point = (guint) (i / seeds);
  *seed = w->spec->seed_first + i % seeds;
}

static void
count_record (SweepResult *result, const RunRecord *rec)
{
  SweepCounts *c = &result->points[rec->point];
  c->runs++;
  c->held += (rec->flags & RUN_HELD) != 0;
  c->capped += (rec->flags & RUN_CAPPED) != 0;
  for (guint k = 0; k < SWEEP_N_VERDICTS; k++)
    c->verdict[k] += (rec->flags >> (RUN_VERDICT_0 + k)) & 1u;
}

static gboolean
write_all (int fd, const void *buf, gsize len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* A worker: runs j = worker, worker + jobs, ... of the shard. */
static G_GNUC_NORETURN void
worker_main (SweepWork *w, guint worker, guint jobs, int fd)
{
  RunRecord batch[RECORDS_PER_WRITE];
  guint n = 0;
  for (guint64 j = worker; j < w->total; j += jobs)
    {
      guint point;
      guint64 seed;
      run_of_shard (w, j, &point, &seed);
      batch[n].point = point;
      batch[n].flags = run_one (w, point, seed);
      if (++n == RECORDS_PER_WRITE || j + jobs >= w->total)
        {
          if (!write_all (fd, batch, n * sizeof batch[0]))
            _exit (1);
          n = 0;
        }
    }
  if (n > 0 && !write_all (fd, batch, n * sizeof batch[0]))
    _exit (1);
  _exit (0);
}

static gboolean
run_here (SweepWork *w, SweepResult *result, SweepProgress progress, gpointer data)
{
  for (guint64 j = 0; j < w->total; j++)
    {
      guint point;
      guint64 seed;
      run_of_shard (w, j, &point, &seed);
      RunRecord rec = { .point = point, .flags = run_one (w, point, seed) };
      if (rec.flags & RUN_FAILED)
        return FALSE;
      count_record (result, &rec);
      if (progress != NULL && (j % 256 == 255 || j + 1 == w->total))
        progress (j + 1, w->total, data);
    }
  return TRUE;
}

typedef struct {
  int fd;
  pid_t pid;
  char buf[RECORDS_PER_WRITE * sizeof (RunRecord)];
  gsize have;            /* bytes of a record not yet complete */
} Worker;

/* Reads what worker k has sent; FALSE at its end of file. */
static gboolean
drain_worker (Worker *wk, SweepResult *result, guint64 *done, gboolean *failed)
{
  ssize_t n = read (wk->fd, wk->buf + wk->have, sizeof wk->buf - wk->have);
  if (n < 0 && errno == EINTR)
    return TRUE;
  if (n <= 0)
    return FALSE;
  wk->have += (gsize) n;
  gsize whole = wk->have / sizeof (RunRecord);
  for (gsize i = 0; i < whole; i++)
    {
      RunRecord rec;
      memcpy (&rec, wk->buf + i * sizeof rec, sizeof rec);
      if ((rec.flags & RUN_FAILED) || rec.point >= result->n_points)
        *failed = TRUE;
      else
        count_record (result, &rec);
    }
  *done += whole;
  wk->have -= whole * sizeof (RunRecord);
  memmove (wk->buf, wk->buf + whole * sizeof (RunRecord), wk->have);
  return TRUE;
}

static gboolean
start_workers (SweepWork *w, Worker *workers, guint jobs)
{
  fflush (NULL);
  for (guint k = 0; k < jobs; k++)
    {
      int fds[2];
      if (pipe (fds) != 0)
        return FALSE;
      pid_t pid = fork ();
      if (pid < 0)
        {
          close (fds[0]);
          close (fds[1]);
          return FALSE;
        }
      if (pid == 0)
        {
          close (fds[0]);
          for (guint i = 0; i < k; i++)
            close (workers[i].fd);
          worker_main (w, k, jobs, fds[1]);
        }
      close (fds[1]);
      workers[k].fd = fds[0];
      workers[k].pid = pid;
    }
  return TRUE;
}

/* Collects every worker's records until all have finished; FALSE if one
 * failed (a run that could not be built, a crash, a short count). */
static gboolean
collect_workers (Worker *workers, guint jobs, SweepResult *result, guint64 total,
                 SweepProgress progress, gpointer data)
{
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, jobs);
  guint open = jobs;
  guint64 done = 0;
  gboolean failed = FALSE;
  for (guint k = 0; k < jobs; k++)
    fds[k] = (struct pollfd) { .fd = workers[k].fd, .events = POLLIN };
  while (open > 0)
    {
      if (poll (fds, jobs, -1) < 0 && errno != EINTR)
        return FALSE;
      for (guint k = 0; k < jobs; k++)
        if (fds[k].fd >= 0 && (fds[k].revents & (POLLIN | POLLHUP | POLLERR))
            && !drain_worker (&workers[k], result, &done, &failed))
          {
            close (fds[k].fd);
            fds[k].fd = -1;
            open--;
          }
      if (progress != NULL)
        progress (done, total, data);
    }
  for (guint k = 0; k < jobs; k++)
    {
      int status = 0;
      while (waitpid (workers[k].pid, &status, 0) < 0 && errno == EINTR)
        ;
      failed = failed || !WIFEXITED (status) || WEXITSTATUS (status) != 0;
    }
  return !failed && done == total;
}

static gboolean
run_on_workers (SweepWork *w, SweepResult *result, guint jobs, SweepProgress progress,
                gpointer data)
{
  g_autofree Worker *workers = g_new0 (Worker, jobs);
  if (!start_workers (w, workers, jobs))
    {
      /* Those started run to the end; collect them so none is left behind. */
      guint started = 0;
      while (started < jobs && workers[started].pid > 0)
        started++;
      collect_workers (workers, started, result, w->total, NULL, NULL);
      return FALSE;
    }
  return collect_workers (workers, jobs, result, w->total, progress, data);
}

/* Builds one runner per point, so that a bad value is reported before any
 * run, with the --vary it came from. */
static gboolean
check_points (SweepSpec *spec, ScenarioScript *script, GError **error)
{
  guint n = sweep_spec_points (spec);
  for (guint p = 0; p < n; p++)
    {
      if (!sweep_apply_point (spec, p, script, error))
        return FALSE;
      GError *local = NULL;
      ScenarioRunner *r = scenario_runner_new (script, TRUE, spec->seed_first, &local);
      if (r == NULL)
        {
          g_autoptr (GString) where = g_string_new (NULL);
          sweep_point_describe (spec, p, where);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s (at %s)",
                       local->message, where->str);
          g_error_free (local);
          return FALSE;
        }
      scenario_runner_free (r);
    }
  return TRUE;
}

SweepResult *
sweep_run (SweepSpec *spec, ScenarioScript *script, guint jobs, guint shard_index,
           guint shard_count, guint64 max_events, SweepProgress progress, gpointer progress_data,
           GError **error)
{
  g_return_val_if_fail (jobs >= 1 && shard_count >= 1 && shard_index < shard_count, NULL);
  if (!check_points (spec, script, error))
    return NULL;
  guint64 all = (guint64) sweep_spec_points (spec) * sweep_spec_seeds (spec);
  SweepWork w = {
    .spec = spec, .script = script, .max_events = max_events, .applied_point = G_MAXUINT,
    .shard_index = shard_index, .shard_count = shard_count,
    .total = all > shard_index ? (all - shard_index + shard_count - 1) / shard_count : 0,
  };
  SweepResult *result = g_new0 (SweepResult, 1);
  result->spec = spec;
  result->n_points = sweep_spec_points (spec);
  result->points = g_new0 (SweepCounts, result->n_points);
  jobs = (guint) MIN ((guint64) jobs, MAX (w.total, 1));
  gboolean ok = jobs == 1 ? run_here (&w, result, progress, progress_data)
                          : run_on_workers (&w, result, jobs, progress, progress_data);
  if (!ok)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "sweep: a worker failed; no result written");
      sweep_result_free (result);
      return NULL;
    }
  return result;
}

void
sweep_result_free (SweepResult *result)
{
  if (result == NULL)
    return;
  g_free (result->points);
  if (result->owns_spec)
    sweep_spec_free (result->spec);
  g_free (result);
}
