// Turns a cglpk_problem view into a GLPK problem object (1-based indices, bound types).
#include "internal.h"

#include <math.h>
#include <string.h>

int cglpk_bound_type(double lower, double upper) {
    int has_lower = !(isinf(lower) && lower < 0);
    int has_upper = !(isinf(upper) && upper > 0);
    if (!has_lower && !has_upper) return GLP_FR;
    if (has_lower && !has_upper) return GLP_LO;
    if (!has_lower && has_upper) return GLP_UP;
    return lower == upper ? GLP_FX : GLP_DB;
}

static double finite_or_zero(double value) { return isinf(value) ? 0.0 : value; }

glp_prob *cglpk_build(const cglpk_problem *problem, int for_solving) {
    int n = problem->num_cols;
    int m = problem->num_rows;
    glp_prob *P = glp_create_prob();
    if (problem->name && problem->name[0]) glp_set_prob_name(P, problem->name);
    if (problem->objective_name && problem->objective_name[0])
        glp_set_obj_name(P, problem->objective_name);
    glp_set_obj_dir(P, problem->maximize ? GLP_MAX : GLP_MIN);
    glp_set_obj_coef(P, 0, problem->objective_constant);

    if (n > 0) glp_add_cols(P, n);
    const char *name = problem->col_names;
    for (int j = 0; j < n; j++) {
        if (name) {
            if (name[0]) glp_set_col_name(P, j + 1, name);
            name += strlen(name) + 1;
        }
        if (problem->col_kind[j] == CGLPK_INTEGER) glp_set_col_kind(P, j + 1, GLP_IV);
        double lower = problem->col_lower[j], upper = problem->col_upper[j];
        glp_set_col_bnds(P, j + 1, cglpk_bound_type(lower, upper), finite_or_zero(lower),
                         finite_or_zero(upper));
        glp_set_obj_coef(P, j + 1, problem->objective[j]);
    }

    if (m > 0) glp_add_rows(P, m);
    name = problem->row_names;
    for (int i = 0; i < m; i++) {
        if (name) {
            if (name[0]) glp_set_row_name(P, i + 1, name);
            name += strlen(name) + 1;
        }
        double lower = problem->row_lower[i], upper = problem->row_upper[i];
        glp_set_row_bnds(P, i + 1, cglpk_bound_type(lower, upper), finite_or_zero(lower),
                         finite_or_zero(upper));
    }

    int nonzeros = m > 0 ? problem->row_start[m] : 0;
    if (nonzeros > 0) {
        // glp_load_matrix takes 1-based triplets; glp_alloc'ed so a trapped error frees them too.
        int *row = glp_alloc(nonzeros + 1, sizeof(int));
        int *col = glp_alloc(nonzeros + 1, sizeof(int));
        double *value = glp_alloc(nonzeros + 1, sizeof(double));
        int k = 1;
        for (int i = 0; i < m; i++) {
            for (int t = problem->row_start[i]; t < problem->row_start[i + 1]; t++, k++) {
                row[k] = i + 1;
                col[k] = problem->col_index[t] + 1;
                value[k] = problem->value[t];
            }
        }
        glp_load_matrix(P, nonzeros, row, col, value);
        glp_free(row);
        glp_free(col);
        glp_free(value);
    }

    if (for_solving) {
        // GLPK's simplex and branch-and-cut refuse problems without rows or columns.
        if (m == 0) {
            int i = glp_add_rows(P, 1);
            glp_set_row_bnds(P, i, GLP_FR, 0.0, 0.0);
        }
        if (n == 0) {
            int j = glp_add_cols(P, 1);
            glp_set_col_bnds(P, j, GLP_FX, 0.0, 0.0);
        }
    }
    return P;
}
