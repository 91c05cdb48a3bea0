/* tests/unit/casefile.h - reader of the scenario files in tests/unit/data (format: tests/unit/data/README) */
#ifndef DSREG_TESTS_CASEFILE_H
#define DSREG_TESTS_CASEFILE_H

#include <stddef.h>

#define CASE_MAX_TOK 32

/* One line that is not blank or a comment: its words. */
struct case_line {
	int lineno;
	int ntok;
	char *tok[CASE_MAX_TOK];  /* quotes removed; point into text */
};

struct casefile {
	char path[256];
	char *text;
	struct case_line *lines;
	size_t nlines;
};

/*
 * Read and split dir/name; the test fails, naming file and line, when it
 * cannot.  Free with casefile_free.
 */
void casefile_read(struct casefile *cf, const char *dir, const char *name);
void casefile_free(struct casefile *cf);

/*
 * The names of dir's *.case files in alphabetical order (malloc'd, free
 * with casefile_names_free); 0 when there is none or no dir.
 */
size_t casefile_names(const char *dir, char ***names);
void casefile_names_free(char **names, size_t n);

#endif
