// CGLPK: GLPK's C API plus a guarded, all-in-one-call driver used by the Swift MILP target.
//
// Why a driver in C rather than calling GLPK from Swift directly:
// - GLPK calls abort() on misuse. Its only escape is glp_error_hook + longjmp, and a longjmp must
//   never cross Swift frames. So every GLPK call of a build -> solve -> read -> free sequence runs
//   inside one C function that owns the setjmp (see guard.c). The only Swift code ever on the stack
//   inside that region is the progress and lazy-constraint callbacks, which receive plain values
//   and never call GLPK (lazy rows go to a plain-memory sink the driver adds after the callback
//   returns), so no GLPK error can be raised while they are active.
// - GLPK keeps its environment per thread (thread-local storage). Each entry point below creates,
//   uses and frees everything on the calling thread and frees that thread's GLPK environment before
//   it returns, so nothing of GLPK outlives the call or crosses threads. Entry points may run on
//   several threads at once. A nested call on the same thread (e.g. from a progress callback) is
//   refused with CGLPK_ERROR_NESTED because freeing the environment would destroy the outer solve.
//
// All arrays in cglpk_problem are 0-based; the driver converts to GLPK's 1-based indices.
#ifndef CGLPK_H
#define CGLPK_H

#include <glpk.h>
#include <stddef.h>

/// Column kinds for cglpk_problem.col_kind.
enum { CGLPK_CONTINUOUS = 0, CGLPK_INTEGER = 1 };

/// File formats for cglpk_write / cglpk_solve_file.
enum { CGLPK_FORMAT_CPLEX_LP = 0, CGLPK_FORMAT_FREE_MPS = 1 };

/// A read-only view of a model. Bounds use +/-HUGE_VAL for "none".
/// Names are `count` NUL-terminated strings stored back to back.
typedef struct cglpk_problem {
    const char *name;
    const char *objective_name;   // may be NULL (GLPK then writes "obj")
    int num_cols;
    int num_rows;
    int maximize;                 // 0 = minimise, 1 = maximise
    double objective_constant;
    const double *objective;      // [num_cols]
    const int *col_kind;          // [num_cols] CGLPK_CONTINUOUS / CGLPK_INTEGER
    const double *col_lower;      // [num_cols]
    const double *col_upper;      // [num_cols]
    const char *col_names;        // num_cols names
    const double *row_lower;      // [num_rows]
    const double *row_upper;      // [num_rows]
    const char *row_names;        // num_rows names
    const int *row_start;         // [num_rows + 1], CSR row pointers into col_index / value
    const int *col_index;         // [row_start[num_rows]], 0-based, no duplicates within a row
    const double *value;          // [row_start[num_rows]]
} cglpk_problem;

/// A snapshot of the branch-and-cut search, passed to the progress callback.
typedef struct cglpk_progress {
    int has_incumbent;
    double incumbent;             // objective of the best integer solution so far
    int has_bound;
    double bound;                 // best bound over the active nodes
    double gap;                   // relative gap |incumbent - bound| / (|incumbent| + DBL_EPSILON), or -1
    int nodes;                    // nodes created so far (including removed ones)
    int active_nodes;
    double seconds;               // since the solve started
} cglpk_progress;

/// Must not call into GLPK or into cglpk_* (it runs inside the guarded region).
typedef void (*cglpk_progress_fn)(void *context, const cglpk_progress *progress);

/// Collects the rows a lazy-constraint callback returns. cglpk_lazy_add_row only copies them (it
/// never calls GLPK), so the callback may use it from Swift inside the guarded region; the driver
/// adds them to the search after the callback returns.
typedef struct cglpk_lazy_sink cglpk_lazy_sink;

/// Appends lower <= sum of values[k] * x[columns[k]] <= upper (0-based columns, +/-HUGE_VAL for
/// "none"). Returns 0, or -1 when out of memory (the row is then dropped).
int cglpk_lazy_add_row(cglpk_lazy_sink *sink, int count, const int *columns, const double *values,
                       double lower, double upper);

/// The LP optimum of a subproblem, as the lazy-constraint callback sees it.
typedef struct cglpk_lazy_point {
    const double *values;         // all num_cols columns (integer columns rounded when integral)
    int num_cols;
    int integral;                 // 1 when every integer column is integral: the search accepts it unless rows are added
    double objective;             // the LP objective at this point
    int has_bound;
    double bound;                 // the search's best bound over its active nodes
} cglpk_lazy_point;

/// Lazy constraints: called with the LP optimum of each subproblem the search solves that is
/// better than its incumbent. Rows it adds to `sink` that the point violates are added to the
/// current subproblem (which holds for its descendants only) and the LP is re-solved; an
/// integral point with none added becomes the incumbent. Must not call into GLPK or into
/// cglpk_* other than cglpk_lazy_add_row.
typedef void (*cglpk_lazy_fn)(void *context, const cglpk_lazy_point *point, cglpk_lazy_sink *sink);

typedef struct cglpk_params {
    int msg_lev;                  // GLP_MSG_OFF ... GLP_MSG_ALL (output is captured, never printed)
    int presolve;                 // 1 = use GLPK's presolver
    double time_limit_seconds;    // <= 0 or +inf: none
    double mip_gap;               // relative MIP gap tolerance, >= 0
    int br_tech;                  // GLP_BR_*
    int bt_tech;                  // GLP_BT_*
    int gmi_cuts, mir_cuts, cov_cuts, clq_cuts;   // 0/1
    int fp_heur, ps_heur, sr_heur;                // 0/1
    const double *start;          // [num_cols] integer-feasible starting point, or NULL
    int duals_by_fixing_integers; // 1 = after a MIP, fix integers and re-solve the LP for duals
    cglpk_progress_fn progress;   // may be NULL
    void *progress_context;
    double progress_interval_seconds;
    cglpk_lazy_fn lazy;           // may be NULL; turns the MIP presolver off (it renumbers columns)
    void *lazy_context;
    int primal_pivot_limit;       // pivots of the primal simplex before the dual takes over; 0 = by size
    int node_limit;               // branch-and-bound nodes after which the search stops; 0 = none
    double node_limit_gap;        // ... once its relative gap is at most this; < 0 = at any gap
    int scaling;                  // enum cglpk_scaling
} cglpk_params;

/// How the problem is scaled before the simplex (glp_scale_prob).
enum cglpk_scaling {
    CGLPK_SCALING_AUTOMATIC = 0,       // GLP_SF_AUTO: geometric mean, then equilibration
    CGLPK_SCALING_POWERS_OF_TWO = 1    // the same, each factor rounded to a power of two (GLP_SF_2N)
};

enum cglpk_status {
    CGLPK_STATUS_OPTIMAL = 1,
    CGLPK_STATUS_FEASIBLE = 2,     // stopped by a limit with a solution
    CGLPK_STATUS_INFEASIBLE = 3,
    CGLPK_STATUS_UNBOUNDED = 4,
    CGLPK_STATUS_NO_SOLUTION = 5,  // stopped by a limit before any solution
    CGLPK_STATUS_FAILED = 6
};

enum cglpk_error {
    CGLPK_OK = 0,
    CGLPK_ERROR_GLPK = 1,          // GLPK raised a fatal error (trapped; environment reset)
    CGLPK_ERROR_NESTED = 2,        // called from inside another cglpk call on the same thread
    CGLPK_ERROR_MEMORY = 3,
    CGLPK_ERROR_FILE = 4           // reading or writing a model file failed
};

enum cglpk_start_status {
    CGLPK_START_NONE = 0,
    CGLPK_START_ACCEPTED = 1,
    CGLPK_START_REJECTED = 2,      // not better than the incumbent (or not integral)
    CGLPK_START_UNUSED = 3         // the search never asked for a heuristic solution
};

/// Output of the entry points. Arrays are malloc'ed by the driver; release with cglpk_result_free.
typedef struct cglpk_result {
    int error;                    // enum cglpk_error
    int status;                   // enum cglpk_status (valid when error == CGLPK_OK)
    char detail[512];             // human-readable reason for status or error
    int is_mip;
    int num_cols, num_rows;       // sizes of the arrays below
    int has_values;
    double objective;
    double *col_value;            // [num_cols]
    double *row_value;            // [num_rows] row activities
    int has_duals;
    double *row_dual;             // [num_rows]
    double *col_dual;             // [num_cols] reduced costs
    int has_bound;
    double best_bound;
    double mip_gap;               // valid when has_bound and has_values
    int nodes;
    int start_status;             // enum cglpk_start_status
    char *col_names;              // only from cglpk_solve_file: num_cols names back to back
    size_t col_names_length;
    char *row_names;
    size_t row_names_length;
    char *log;                    // captured terminal output (NUL-terminated), may be NULL
    size_t log_length;
    double seconds;               // time inside GLPK
    int lazy_rows;                // rows the lazy-constraint callback added during the search
    int node_limit_reached;       // 1 = the node limit stopped the search (status FEASIBLE or NO_SOLUTION)
} cglpk_result;

void cglpk_init_params(cglpk_params *params);
void cglpk_result_free(cglpk_result *result);

/// Builds the problem, solves it (simplex for LPs, branch-and-cut for MILPs), reads the solution
/// and frees everything.
void cglpk_solve(const cglpk_problem *problem, const cglpk_params *params, cglpk_result *result);

/// Writes the problem with glp_write_lp / glp_write_mps (free MPS) to `path`.
void cglpk_write(const cglpk_problem *problem, int format, const char *path, cglpk_result *result);

/// Reads a model with glp_read_lp / glp_read_mps (free MPS) and solves it like cglpk_solve.
/// `objective_sense` (GLP_MIN or GLP_MAX) overrides the direction read from the file, for MPS
/// files whose OBJSENSE section GLPK's reader does not understand; 0 keeps the file's.
/// The result also carries the file's column and row names.
void cglpk_solve_file(const char *path, int format, int objective_sense, const cglpk_params *params,
                      cglpk_result *result);

/// Test-only: deliberately misuses GLPK inside the guard so tests can check that the fatal error
/// becomes CGLPK_ERROR_GLPK and that GLPK works again afterwards.
enum { CGLPK_PROBE_DUPLICATE_ENTRY = 0, CGLPK_PROBE_BAD_COLUMN_INDEX = 1 };
void cglpk_probe_misuse(int probe, cglpk_result *result);

#endif
