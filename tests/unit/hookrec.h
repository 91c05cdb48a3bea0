/* tests/unit/hookrec.h - a registrar_hook that writes down what it sees, and can say no to one step */
#ifndef DSREG_TESTS_HOOKREC_H
#define DSREG_TESTS_HOOKREC_H

#include "common/registrar.h"

/*
 * trace gets "+STEP " before and "-STEP(RC) " after each request (STEP as
 * registrar_step_name), note the last after note.  before returns -1 for
 * the step `refuse` (-1: none), -1 like the engine's hook.
 */
struct hookrec {
	char trace[512];
	char note[512];
	int refuse;
	struct registrar_hook hook;
};

/* Clear r, refusing step refuse (-1: none), and point r->hook at it. */
void hookrec_init(struct hookrec *r, int refuse);

#endif
