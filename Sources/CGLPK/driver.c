// Solves a built GLPK problem and classifies the outcome.
//
// LP:   glp_simplex (optionally with GLPK's LP presolver).
// MILP: glp_intopt with its MIP presolver, or - when a starting solution is given, or presolve is
//       off - glp_simplex on the LP relaxation followed by glp_intopt without presolver. A starting
//       solution needs the un-presolved problem: glp_ios_heur_sol takes values for the columns of
//       the problem inside the search tree, which after presolving are different columns.
// Infeasible and unbounded verdicts are explained (LP relaxation vs integer infeasibility), and
// presolver shortcuts (GLP_ENOPFS / GLP_ENODFS) are resolved by re-solving without presolver.
#include "internal.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>

enum lp_outcome { LP_OPTIMAL, LP_INFEASIBLE, LP_UNBOUNDED, LP_LIMIT_FEASIBLE, LP_LIMIT, LP_FAILED };

typedef struct driver {
    glp_prob *P;
    const cglpk_params *params;
    cglpk_result *result;
    int n, m;                 // reported columns / rows
    double started, deadline; // cglpk_now() seconds; deadline = +inf without a time limit
    int failure_code;         // last unexpected GLPK return code
    // Branch-and-cut bookkeeping, updated by on_tree_event.
    double *start;            // 1-based starting solution (glp_alloc) or NULL
    int start_offered;
    int has_bound;
    double bound;
    int nodes;
    int node_limit_reached;
    double last_report;
    double *lazy_scratch;     // num_cols values for the lazy-constraint callback (glp_alloc)
} driver;

static int remaining_ms(const driver *d) {
    if (isinf(d->deadline)) return INT_MAX;
    double left = (d->deadline - cglpk_now()) * 1000.0;
    if (left <= 0) return 0;
    if (left >= (double)INT_MAX - 1) return INT_MAX - 1;
    return (int)ceil(left);
}

static double relative_gap(double incumbent, double bound) {
    return fabs(incumbent - bound) / (fabs(incumbent) + DBL_EPSILON);
}

static void finish(driver *d, int status) { d->result->status = status; }

/// Pivots the primal simplex may take on an LP of `size` rows plus columns: far more than it needs
/// without cycling (the fleet LPs take 0.1-3 pivots per row and column).
#define PRIMAL_PIVOTS_BEFORE_DUAL(size) (10 * (size) + 1000)

/// Solves the LP (relaxation) in P. `unlimited` ignores the time limit (used for the short
/// re-solve with integers fixed, which must not be starved by a search that used up the limit).
static int run_simplex(driver *d, int presolve, int unlimited) {
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = d->params->msg_lev;
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    parm.tm_lim = unlimited ? INT_MAX : remaining_ms(d);
    // The primal simplex can cycle at a degenerate vertex (the LP relaxation of the two-pool H200
    // baseline for the LMSYS CDF at 300 req/s, 2 s sat at its optimum for 227,000 pivots, 2 s,
    // without proving it, and the baseline at the 60 s limit): past this many pivots the dual
    // simplex finishes from where it stands (7 more pivots there).
    parm.it_lim = d->params->primal_pivot_limit > 0 ? d->params->primal_pivot_limit
                                                   : PRIMAL_PIVOTS_BEFORE_DUAL(glp_get_num_rows(d->P) + glp_get_num_cols(d->P));
    int ret = glp_simplex(d->P, &parm);
    if (ret == GLP_EITLIM) {
        parm.meth = GLP_DUALP;
        parm.it_lim = INT_MAX;
        parm.tm_lim = unlimited ? INT_MAX : remaining_ms(d);
        ret = glp_simplex(d->P, &parm);
    }
    if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
        // The basis left in the problem object is unusable: restart from a fresh one.
        glp_adv_basis(d->P, 0);
        parm.tm_lim = unlimited ? INT_MAX : remaining_ms(d);
        ret = glp_simplex(d->P, &parm);
    }
    switch (ret) {
    case 0:
        break;
    case GLP_ENOPFS:
        return LP_INFEASIBLE;
    case GLP_ENODFS:
        // The presolver only knows "no dual feasible solution": unbounded or infeasible.
        if (presolve) return run_simplex(d, 0, unlimited);
        d->failure_code = ret;
        return LP_FAILED;
    case GLP_ETMLIM:
    case GLP_EITLIM:
        return glp_get_prim_stat(d->P) == GLP_FEAS ? LP_LIMIT_FEASIBLE : LP_LIMIT;
    default:
        d->failure_code = ret;
        return LP_FAILED;
    }
    switch (glp_get_status(d->P)) {
    case GLP_OPT: return LP_OPTIMAL;
    case GLP_NOFEAS: return LP_INFEASIBLE;
    case GLP_UNBND: return LP_UNBOUNDED;
    default:
        if (glp_get_prim_stat(d->P) == GLP_NOFEAS) return LP_INFEASIBLE;
        if (glp_get_dual_stat(d->P) == GLP_NOFEAS) return LP_UNBOUNDED;
        d->failure_code = glp_get_status(d->P);
        return LP_FAILED;
    }
}

static void read_basic_solution(driver *d, int with_duals) {
    cglpk_result *r = d->result;
    r->objective = glp_get_obj_val(d->P);
    for (int j = 0; j < d->n; j++) {
        r->col_value[j] = glp_get_col_prim(d->P, j + 1);
        r->col_dual[j] = with_duals ? glp_get_col_dual(d->P, j + 1) : 0.0;
    }
    for (int i = 0; i < d->m; i++) {
        r->row_value[i] = glp_get_row_prim(d->P, i + 1);
        r->row_dual[i] = with_duals ? glp_get_row_dual(d->P, i + 1) : 0.0;
    }
    r->has_values = 1;
    r->has_duals = with_duals;
}

static void read_integer_solution(driver *d) {
    cglpk_result *r = d->result;
    r->objective = glp_mip_obj_val(d->P);
    for (int j = 0; j < d->n; j++) {
        double value = glp_mip_col_val(d->P, j + 1);
        // GLPK stores integer columns within tol_int of an integer; report the integer itself.
        if (glp_get_col_kind(d->P, j + 1) != GLP_CV) value = floor(value + 0.5);
        r->col_value[j] = value;
    }
    for (int i = 0; i < d->m; i++) r->row_value[i] = glp_mip_row_val(d->P, i + 1);
    r->has_values = 1;
}

static void describe_lp_failure(driver *d, const char *what) {
    cglpk_set_detail(d->result, "GLPK could not solve the %s (return/status code %d)", what,
                     d->failure_code);
}

static void solve_lp(driver *d) {
    switch (run_simplex(d, d->params->presolve, 0)) {
    case LP_OPTIMAL:
        read_basic_solution(d, 1);
        d->result->has_bound = 1;
        d->result->best_bound = d->result->objective;
        d->result->mip_gap = 0.0;
        finish(d, CGLPK_STATUS_OPTIMAL);
        break;
    case LP_INFEASIBLE:
        cglpk_set_detail(d->result, "no point satisfies all constraints and bounds");
        finish(d, CGLPK_STATUS_INFEASIBLE);
        break;
    case LP_UNBOUNDED:
        cglpk_set_detail(d->result, "the objective can improve without limit");
        finish(d, CGLPK_STATUS_UNBOUNDED);
        break;
    case LP_LIMIT_FEASIBLE:
        read_basic_solution(d, 0);
        cglpk_set_detail(d->result, "time limit reached before optimality was proved");
        finish(d, CGLPK_STATUS_FEASIBLE);
        break;
    case LP_LIMIT:
        cglpk_set_detail(d->result, "time limit reached before a feasible point was found");
        finish(d, CGLPK_STATUS_NO_SOLUTION);
        break;
    default:
        describe_lp_failure(d, "LP");
        finish(d, CGLPK_STATUS_FAILED);
    }
}

/// Whether the search has an incumbent within `gap` (relative) of its best bound.
static int within_gap(glp_tree *T, const driver *d, double gap) {
    glp_prob *tree_problem = glp_ios_get_prob(T);
    if (glp_mip_status(tree_problem) != GLP_FEAS || !d->has_bound) return 0;
    return relative_gap(glp_mip_obj_val(tree_problem), d->bound) <= gap;
}

static void on_tree_event(glp_tree *T, void *info) {
    driver *d = info;
    const cglpk_params *params = d->params;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IROWGEN && params->lazy != NULL) {
        int best = glp_ios_best_node(T);
        double bound = best != 0 ? glp_ios_node_bound(T, best) : 0.0;
        d->result->lazy_rows += cglpk_lazy_rows(T, params, d->n, d->lazy_scratch,
                                                best != 0 && fabs(bound) < DBL_MAX, bound);
    }
    if (reason == GLP_IHEUR && d->start != NULL && !d->start_offered) {
        d->start_offered = 1;
        d->result->start_status = glp_ios_heur_sol(T, d->start) == 0 ? CGLPK_START_ACCEPTED
                                                                      : CGLPK_START_REJECTED;
    }
    int active = 0, current = 0, total = 0;
    glp_ios_tree_size(T, &active, &current, &total);
    d->nodes = total;
    if (params->node_limit > 0 && total >= params->node_limit && !d->node_limit_reached
        && (params->node_limit_gap < 0 || within_gap(T, d, params->node_limit_gap))) {
        d->node_limit_reached = 1;
        glp_ios_terminate(T);
    }
    int best = glp_ios_best_node(T);
    if (best != 0) {
        double bound = glp_ios_node_bound(T, best);
        if (fabs(bound) < DBL_MAX) {
            d->bound = bound;
            d->has_bound = 1;
        }
    }
    if (params->progress == NULL) return;
    double now = cglpk_now();
    if (reason != GLP_IBINGO && now - d->last_report < params->progress_interval_seconds) return;
    d->last_report = now;
    glp_prob *tree_problem = glp_ios_get_prob(T);
    cglpk_progress progress = {0};
    progress.has_incumbent = glp_mip_status(tree_problem) == GLP_FEAS;
    progress.incumbent = progress.has_incumbent ? glp_mip_obj_val(tree_problem) : 0.0;
    progress.has_bound = d->has_bound;
    progress.bound = d->bound;
    progress.gap = (progress.has_incumbent && d->has_bound)
                       ? relative_gap(progress.incumbent, d->bound) : -1.0;
    progress.nodes = total;
    progress.active_nodes = active;
    progress.seconds = now - d->started;
    params->progress(params->progress_context, &progress);
}

/// The LP relaxation is unbounded. With rational data the MILP is then unbounded exactly when it
/// has an integer-feasible point, so look for one with the objective removed.
static void classify_unbounded_relaxation(driver *d) {
    int columns = glp_get_num_cols(d->P);
    for (int j = 0; j <= columns; j++) glp_set_obj_coef(d->P, j, 0.0);
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = d->params->msg_lev;
    parm.presolve = GLP_ON;
    parm.tm_lim = remaining_ms(d);
    int ret = glp_intopt(d->P, &parm);
    int status = glp_mip_status(d->P);
    if (ret == 0 && status == GLP_OPT) {
        cglpk_set_detail(d->result, "the objective can improve without limit (the LP relaxation "
                                    "is unbounded and an integer solution exists)");
        finish(d, CGLPK_STATUS_UNBOUNDED);
    } else if ((ret == 0 && status == GLP_NOFEAS) || ret == GLP_ENOPFS) {
        cglpk_set_detail(d->result, "integer infeasible: the LP relaxation is unbounded but "
                                    "contains no integer solution");
        finish(d, CGLPK_STATUS_INFEASIBLE);
    } else {
        cglpk_set_detail(d->result, "the LP relaxation is unbounded; whether any integer solution "
                                    "exists was not established (glp_intopt code %d)", ret);
        finish(d, CGLPK_STATUS_UNBOUNDED);
    }
}

/// GLP_ENOPFS from the MIP presolver: tell LP-relaxation infeasibility from integer infeasibility.
static void explain_presolver_infeasible(driver *d) {
    if (run_simplex(d, 0, 0) == LP_INFEASIBLE)
        cglpk_set_detail(d->result, "the LP relaxation is infeasible (no point satisfies the "
                                    "constraints even without integrality)");
    else
        cglpk_set_detail(d->result, "integer infeasible: the LP relaxation is feasible but the "
                                    "MIP presolver proved that no integer solution exists");
    finish(d, CGLPK_STATUS_INFEASIBLE);
}

static void fix_integers_and_resolve(driver *d) {
    int columns = glp_get_num_cols(d->P);
    for (int j = 1; j <= columns; j++) {
        if (glp_get_col_kind(d->P, j) == GLP_CV) continue;
        double value = floor(glp_mip_col_val(d->P, j) + 0.5);
        glp_set_col_bnds(d->P, j, GLP_FX, value, value);
    }
    cglpk_result *r = d->result;
    if (run_simplex(d, 0, 1) == LP_OPTIMAL) {
        // Same integers, continuous part re-optimised: at least as good as the MIP incumbent.
        read_basic_solution(d, 1);
        if (r->has_bound) r->mip_gap = relative_gap(r->objective, r->best_bound);
    }
}

static void solve_mip(driver *d) {
    const cglpk_params *params = d->params;
    cglpk_result *r = d->result;
    int use_mip_presolver = params->presolve && params->start == NULL && params->lazy == NULL;
    if (!use_mip_presolver) {
        switch (run_simplex(d, 0, 0)) {
        case LP_OPTIMAL:
            break;
        case LP_INFEASIBLE:
            cglpk_set_detail(r, "the LP relaxation is infeasible (no point satisfies the "
                                "constraints even without integrality)");
            finish(d, CGLPK_STATUS_INFEASIBLE);
            return;
        case LP_UNBOUNDED:
            classify_unbounded_relaxation(d);
            return;
        case LP_LIMIT_FEASIBLE:
        case LP_LIMIT:
            cglpk_set_detail(r, "time limit reached while solving the LP relaxation");
            finish(d, CGLPK_STATUS_NO_SOLUTION);
            return;
        default:
            describe_lp_failure(d, "LP relaxation");
            finish(d, CGLPK_STATUS_FAILED);
            return;
        }
    }
    if (params->lazy != NULL) d->lazy_scratch = glp_alloc(d->n > 0 ? d->n : 1, sizeof(double));
    if (params->start != NULL) {
        int columns = glp_get_num_cols(d->P);
        d->start = glp_alloc(columns + 1, sizeof(double));
        d->start[0] = 0.0;
        for (int j = 1; j <= columns; j++) d->start[j] = params->start[j - 1];
    }

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = params->msg_lev;
    parm.br_tech = params->br_tech;
    parm.bt_tech = params->bt_tech;
    parm.mip_gap = params->mip_gap;
    parm.gmi_cuts = params->gmi_cuts ? GLP_ON : GLP_OFF;
    parm.mir_cuts = params->mir_cuts ? GLP_ON : GLP_OFF;
    parm.cov_cuts = params->cov_cuts ? GLP_ON : GLP_OFF;
    parm.clq_cuts = params->clq_cuts ? GLP_ON : GLP_OFF;
    // GLPK's heuristics hand their solutions to the search without row generation, so with lazy
    // constraints they could bring in a point the callback never saw.
    int heuristics = params->lazy == NULL;
    parm.fp_heur = heuristics && params->fp_heur ? GLP_ON : GLP_OFF;
    parm.ps_heur = heuristics && params->ps_heur ? GLP_ON : GLP_OFF;
    parm.sr_heur = heuristics && params->sr_heur ? GLP_ON : GLP_OFF;
    parm.presolve = use_mip_presolver ? GLP_ON : GLP_OFF;
    parm.cb_func = on_tree_event;
    parm.cb_info = d;
    parm.tm_lim = remaining_ms(d);
    if (parm.ps_heur && parm.tm_lim < parm.ps_tm_lim) parm.ps_tm_lim = parm.tm_lim;

    int ret = glp_intopt(d->P, &parm);
    int status = glp_mip_status(d->P);
    int has_solution = status == GLP_OPT || status == GLP_FEAS;
    r->nodes = d->nodes;
    switch (ret) {
    case 0:
        if (status == GLP_OPT) {
            read_integer_solution(d);
            r->has_bound = 1;
            r->best_bound = r->objective;
            cglpk_set_detail(r, "optimal");
            finish(d, CGLPK_STATUS_OPTIMAL);
        } else if (status == GLP_NOFEAS) {
            cglpk_set_detail(r, "integer infeasible: the LP relaxation is feasible but no "
                                "integer solution exists");
            finish(d, CGLPK_STATUS_INFEASIBLE);
            return;
        } else {
            cglpk_set_detail(r, "glp_intopt finished without a solution status (%d)", status);
            finish(d, CGLPK_STATUS_FAILED);
            return;
        }
        break;
    case GLP_EMIPGAP:
    case GLP_ETMLIM:
    case GLP_ESTOP:
        r->node_limit_reached = ret == GLP_ESTOP;
        if (!has_solution) {
            cglpk_set_detail(r, "%s limit reached before any integer solution was found",
                             ret == GLP_ESTOP ? "node" : "time");
            finish(d, CGLPK_STATUS_NO_SOLUTION);
            return;
        }
        read_integer_solution(d);
        r->has_bound = d->has_bound;
        r->best_bound = d->has_bound ? d->bound : 0.0;
        if (ret == GLP_EMIPGAP) {
            // GLPK stops when |incumbent − bound| ≤ mip_gap·(|incumbent| + ε) for its best active
            // bound. The bound read at the last callback can trail that one (e.g. when one branch is
            // hopeless GLPK goes on with the other child, and checks the gap, with no callback in
            // between), so the stopping rule itself gives the tighter proven bound.
            double slack = params->mip_gap * (fabs(r->objective) + DBL_EPSILON);
            double stopped = glp_get_obj_dir(d->P) == GLP_MIN ? r->objective - slack : r->objective + slack;
            if (!r->has_bound) r->best_bound = stopped;
            else if (glp_get_obj_dir(d->P) == GLP_MIN) r->best_bound = fmax(r->best_bound, stopped);
            else r->best_bound = fmin(r->best_bound, stopped);
            r->has_bound = 1;
            cglpk_set_detail(r, "optimal within the relative gap tolerance");
            finish(d, CGLPK_STATUS_OPTIMAL);
        } else {
            cglpk_set_detail(r, "%s limit reached; returning the best integer solution found",
                             ret == GLP_ESTOP ? "node" : "time");
            finish(d, CGLPK_STATUS_FEASIBLE);
        }
        break;
    case GLP_ENOPFS:
        explain_presolver_infeasible(d);
        return;
    case GLP_ENODFS:
        if (run_simplex(d, 0, 0) == LP_INFEASIBLE) {
            cglpk_set_detail(r, "the LP relaxation is infeasible (no point satisfies the "
                                "constraints even without integrality)");
            finish(d, CGLPK_STATUS_INFEASIBLE);
        } else {
            classify_unbounded_relaxation(d);
        }
        return;
    default:
        cglpk_set_detail(r, "glp_intopt failed (return code %d)", ret);
        finish(d, CGLPK_STATUS_FAILED);
        return;
    }
    if (r->has_bound) r->mip_gap = relative_gap(r->objective, r->best_bound);
    if (params->duals_by_fixing_integers) fix_integers_and_resolve(d);
}

static double *new_array(int count) { return calloc(count > 0 ? (size_t)count : 1, sizeof(double)); }

void cglpk_drive(glp_prob *P, const cglpk_params *params, int report_cols, int report_rows,
                 cglpk_result *result) {
    driver d = {0};
    d.P = P;
    d.params = params;
    d.result = result;
    d.n = report_cols;
    d.m = report_rows;
    d.started = cglpk_now();
    double limit = params->time_limit_seconds;
    d.deadline = (limit > 0 && !isinf(limit)) ? d.started + limit : INFINITY;

    result->num_cols = report_cols;
    result->num_rows = report_rows;
    result->is_mip = glp_get_num_int(P) > 0;
    result->start_status = (params->start && result->is_mip) ? CGLPK_START_UNUSED
                                                             : CGLPK_START_NONE;
    result->col_value = new_array(report_cols);
    result->col_dual = new_array(report_cols);
    result->row_value = new_array(report_rows);
    result->row_dual = new_array(report_rows);
    if (!result->col_value || !result->col_dual || !result->row_value || !result->row_dual) {
        result->error = CGLPK_ERROR_MEMORY;
        cglpk_set_detail(result, "out of memory for the solution arrays");
        return;
    }
    glp_scale_prob(P, params->scaling == CGLPK_SCALING_POWERS_OF_TWO ? GLP_SF_GM | GLP_SF_EQ | GLP_SF_2N | GLP_SF_SKIP
                                                                      : GLP_SF_AUTO);
    if (result->is_mip)
        solve_mip(&d);
    else
        solve_lp(&d);
}
