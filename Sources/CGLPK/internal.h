// Internal declarations shared by the CGLPK driver files (not exported to Swift).
#ifndef CGLPK_INTERNAL_H
#define CGLPK_INTERNAL_H

#include "CGLPK.h"

typedef struct cglpk_guard cglpk_guard;

/// Runs `body` with GLPK's fatal errors trapped: on glp_error the guard longjmps back, sets
/// result->error = CGLPK_ERROR_GLPK with GLPK's message, and frees the thread's GLPK environment.
/// GLPK terminal output is captured into result->log. Scratch memory should come from glp_alloc
/// (released with the environment); memory handed back in `result` must come from malloc.
void cglpk_run_guarded(void (*body)(void *argument, cglpk_result *result), void *argument,
                       cglpk_result *result);

/// Creates a GLPK problem from the view. With `for_solving`, an empty row or column set gets one
/// inert placeholder so GLPK's solvers accept the problem (they refuse 0 rows or 0 columns).
glp_prob *cglpk_build(const cglpk_problem *problem, int for_solving);

/// Solves P and fills `result`. Only the first `report_cols` columns and `report_rows` rows are
/// reported (placeholders added by cglpk_build are left out).
void cglpk_drive(glp_prob *P, const cglpk_params *params, int report_cols, int report_rows,
                 cglpk_result *result);

/// GLPK's bound type (GLP_FR, GLP_LO, GLP_UP, GLP_DB, GLP_FX) for lower/upper with +/-HUGE_VAL
/// meaning "none".
int cglpk_bound_type(double lower, double upper);

/// Asks params->lazy about the search's current LP optimum and adds the rows it returns that the
/// point violates; `scratch` holds num_cols values. Returns the rows added.
int cglpk_lazy_rows(glp_tree *T, const cglpk_params *params, int num_cols, double *scratch,
                    int has_bound, double bound);

/// Monotonic clock in seconds.
double cglpk_now(void);

/// Formats into result->detail.
void cglpk_set_detail(cglpk_result *result, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

#endif
