/* runner-internal.h: state shared by the runner's files. */
#pragma once

#include "scenario-runner.h"
#include "host.h"
#include "link.h"
#include "socket.h"
#include "tcp-state.h"
#include "verdicts.h"

typedef struct _HostProgram HostProgram;
typedef struct _ScheduledStep ScheduledStep;

struct _ScenarioRunner {
  const ScenarioScript *script;
  guint64 seed;
  SimEngine *engine;
  Network *network;
  GPtrArray *programs;    /* HostProgram, in host declaration order */
  GPtrArray *scheduled;   /* ScheduledStep */
  GPtrArray *failures;    /* char *: "file:line: expected X vs actual Y" */
  GPtrArray *failure_details; /* RunnerFailure, one per failure, in order */
  GHashTable *segment_queues; /* host name -> pending `expect segment` lines; or NULL */
  GHashTable *conn_views; /* host -> ("ip:port" -> what the host under test showed) */
  gboolean follows_segments; /* the script injects or expects segments: fill conn_views */
  GHashTable *ts_map;     /* packetdrill: script TS val -> live TS val */
  gboolean ts_first_known;
  guint32 ts_first_script, ts_first_live;
  GHashTable *conn_states; /* conn id -> state + 1, from the trace; lookups only */
  GHashTable *bytes_read; /* "host/sock_id" -> GByteArray; lookups only */
  gboolean keeps_reads;   /* the script has an `expect ... read`: fill bytes_read */
  Verdicts *verdicts;     /* H1, H2, H3, TIME-WAIT assassination, reuse */
  guint expectations;     /* how many checks the script asks for */
  guint checked;
  gboolean ended;         /* the script's `TIME end` stopped the run */
  ScheduledStep *blocking; /* sequential: the `>` line being waited for, or NULL */
};

/* A socket variable of a host's program. */
typedef struct {
  int fd;
  guint64 sock_id;
} VarBinding;

/* One host's program: its timed lines run in order, one at a time. */
struct _HostProgram {
  ScenarioRunner *runner;
  Host *host;
  const char *subject;    /* the host's name, or a `process` name */
  guint uid;              /* the process's user (0 for a host's own program) */
  guint pid;              /* sock_process_new id; 0 = the host's default process */
  gboolean exited;        /* exit() ran; the next line restarts the process */
  GHashTable *vars;       /* name -> VarBinding; lookups only */
  GQueue lines;           /* ScheduledStep*, CALLS lines not yet started */
  const ScenarioStep *line; /* the line running now, or NULL */
  guint call_index;
  gboolean waiting;       /* a call on `line` has not completed yet */
  gboolean issuing;       /* inside the socket call (synchronous completion) */
  SimTime line_started;
};

struct _ScheduledStep {
  ScenarioRunner *runner;
  HostProgram *program;   /* NULL for faults and verdict expectations without a host */
  const ScenarioStep *step;
  guint index;            /* in ScenarioRunner.scheduled, = the step's index */
  SimTime time;           /* step->time, moved by runner_shift_after */
  SimTime time_lo, time_hi; /* EXPECT_SEGMENT window, moved likewise */
  SimEventId event;       /* step_due at `time` */
  SimEventId deadline;    /* EXPECT_SEGMENT: deadline_due at time_hi */
  gboolean due;           /* its time has come in the schedule (CALLS) */
  gboolean done;
  gboolean held;          /* sequential: its time came while an earlier `>` line
                             waited; runs when that line is resolved */
  gboolean deadline_held; /* likewise for its deadline */
  gboolean resolved;      /* EXPECT_SEGMENT: matched or failed */
};

void     program_poke        (HostProgram *prog);
/* `TIME crash HOST`: every process of the host dies (sock_host_crash); the
 * line each was running and the lines waiting behind it are dropped. */
void     runner_crash_host   (ScenarioRunner *r, const ScenarioStep *step);
/* `TIME reboot HOST [quiet=D]`: sock_host_reboot; later lines start fresh
 * processes, as after exit(). */
void     runner_reboot_host  (ScenarioRunner *r, const ScenarioStep *step);
void     runner_arm_fault    (ScenarioRunner *r, const ScenarioStep *step);
/* runner-segments.c: `inject` at its time; `expect segment` lines are
 * queued per sending host when the schedule is built. */
void     runner_segments_init (ScenarioRunner *r);
void     runner_inject       (ScenarioRunner *r, const ScenarioStep *step);
/* socket() on HOST: packetdrill follows a new socket; what the host showed
 * on earlier connections (ISN, the remote's ISN) no longer counts. */
void     runner_segments_new_socket (ScenarioRunner *r, const char *host);
void     runner_segments_add (ScenarioRunner *r, ScheduledStep *s);
/* packetdrill: the `>` line `s` was resolved (matched or failed) `delta`
 * after its own time: lines held behind it run, and the relative-timed
 * lines after it move by delta. */
void     runner_shift_after  (ScenarioRunner *r, ScheduledStep *s, SimTime delta);
/* Sequential scripts: TRUE (and nothing done) when `s` must wait for an
 * earlier `>` line still waiting for its packet. */
gboolean runner_hold_if_blocked (ScenarioRunner *r, ScheduledStep *s);
/* After time_hi moved: the deadline follows. */
void     runner_segments_move_deadline (ScenarioRunner *r, ScheduledStep *s);
/* runner_record_check with the failure's detail in packetdrill's words
 * ("live packet field tcp_seq: ..."), or NULL. */
void     runner_record_check_detail (ScenarioRunner *r, const ScenarioLoc *loc, const char *host,
                                     gboolean ok, const char *what, const char *expected,
                                     const char *actual, const char *detail);
void     runner_check_expect (ScenarioRunner *r, HostProgram *prog, const ScenarioStep *step);
/* Whether a sink reads "scenario.check" (else a check that held is only counted). */
gboolean runner_check_traced (ScenarioRunner *r);
/* Records the outcome of one check; publishes "scenario.check". */
void     runner_record_check (ScenarioRunner *r, const ScenarioLoc *loc, const char *host,
                              gboolean ok, const char *what, const char *expected,
                              const char *actual);
TcpState runner_conn_state   (ScenarioRunner *r, guint64 conn_id);
GByteArray *runner_bytes_read (ScenarioRunner *r, Host *host, guint64 sock_id);
char    *program_describe_blocked (HostProgram *prog);

/* The scenario's address as the models' (same layout, runner-program.c). */
NetAddr runner_net_addr (ScenarioAddr a);
