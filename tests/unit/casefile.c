/* tests/unit/casefile.c - reader of the scenario files in tests/unit/data: lines of words, "quoted" words, # comments */
#include "tests/unit/check_main.h"
#include "tests/unit/casefile.h"
#include "common/buf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASEFILE_MAX (64 * 1024)

/* Split the line at p (NUL-terminated) into l's words, in place. */
static void
split(struct casefile *cf, char *p, struct case_line *l)
{
	char *w;

	l->ntok = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			return;
		ck_assert_msg(l->ntok < CASE_MAX_TOK, "%s:%d: more than %d words",
		    cf->path, l->lineno, CASE_MAX_TOK);
		if (*p == '"') {
			/* "text", with \" and \\ inside */
			w = ++p;
			l->tok[l->ntok++] = w;
			for (;; p++) {
				ck_assert_msg(*p != '\0', "%s:%d: unterminated "
				    "quote", cf->path, l->lineno);
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				else if (*p == '"')
					break;
				*w++ = *p;
			}
			*w = '\0';
			p++;
			continue;
		}
		l->tok[l->ntok++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

void
casefile_read(struct casefile *cf, const char *dir, const char *name)
{
	struct dsreg_buf b;
	char *p, *nl;
	int lineno = 0;

	memset(cf, 0, sizeof(*cf));
	snprintf(cf->path, sizeof(cf->path), "%s/%s", dir, name);
	unit_read_fixture(dir, name, CASEFILE_MAX, &b);
	cf->text = malloc(b.len + 1);
	ck_assert_ptr_nonnull(cf->text);
	memcpy(cf->text, b.data, b.len);
	cf->text[b.len] = '\0';
	dsreg_buf_free(&b);
	for (p = cf->text; p != NULL && *p != '\0'; p = nl) {
		struct case_line l;

		lineno++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		memset(&l, 0, sizeof(l));
		l.lineno = lineno;
		split(cf, p, &l);
		if (l.ntok == 0)
			continue;
		cf->lines = realloc(cf->lines, (cf->nlines + 1) *
		    sizeof(*cf->lines));
		ck_assert_ptr_nonnull(cf->lines);
		cf->lines[cf->nlines++] = l;
	}
}

void
casefile_free(struct casefile *cf)
{
	free(cf->text);
	free(cf->lines);
	memset(cf, 0, sizeof(*cf));
}

static int
is_case(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".case") == 0;
}

size_t
casefile_names(const char *dir, char ***names)
{
	struct dirent **list;
	size_t i;
	int n;

	*names = NULL;
	if ((n = scandir(dir, &list, is_case, alphasort)) <= 0)
		return 0;
	*names = calloc((size_t)n, sizeof(**names));
	for (i = 0; i < (size_t)n; i++) {
		if (*names != NULL)
			(*names)[i] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return *names != NULL ? (size_t)n : 0;
}

void
casefile_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
