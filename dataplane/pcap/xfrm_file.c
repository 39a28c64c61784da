/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the --xfrm FILE the way iproute2's batch mode (getcmdline) does,
 * so that our line numbers are its line numbers: '#' ends a line's text
 * (and a line with a comment never continues), a '\' right before the
 * newline joins the next line.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/pcap/xfrm_file.h"

#define PROG "xfrmgw-pcap"

static char *slurp(FILE *fp, size_t *len)
{
	size_t cap = 4096, n;
	char *text = malloc(cap), *t;

	*len = 0;
	while (text && (n = fread(text + *len, 1, cap - *len - 1, fp)) > 0) {
		*len += n;
		if (cap - *len - 1 == 0) {
			t = realloc(text, cap *= 2);
			if (!t)
				free(text);
			text = t;
		}
	}
	if (text)
		text[*len] = '\0';
	return text;
}

static int split_lines(struct xfrm_file *f, size_t len)
{
	char *p = f->text;

	f->line = calloc(len + 2, sizeof(*f->line));
	if (!f->line)
		return -1;
	while (*p) {
		char *nl = strchr(p, '\n');

		f->line[++f->nlines] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	return 0;
}

static bool continued(const char *line)
{
	size_t n = strlen(line);

	return n && line[n - 1] == '\\' && !strchr(line, '#');
}

/* Is word (len bytes) a non-empty prefix of full, as iproute2's matches()? */
static bool abbrev_of(const char *word, size_t len, const char *full)
{
	return len && len <= strlen(full) && !strncmp(word, full, len);
}

static const char *next_word(const char *p, size_t *len)
{
	p += strspn(p, " \t\r\\");
	*len = strcspn(p, " \t\r#\\");
	return p;
}

/* Why command at physical line n may not run, NULL if it may; *blank if empty. */
static const char *refuse(const char *line, bool *blank)
{
	size_t len;
	const char *w = next_word(line, &len);

	*blank = !len;
	if (!len)
		return NULL;
	if (!abbrev_of(w, len, "xfrm"))
		return "offline mode runs only 'xfrm' commands";
	w = next_word(w + len, &len);
	if (abbrev_of(w, len, "monitor"))
		return "'xfrm monitor' never returns; not allowed in offline mode";
	return NULL;
}

static int index_commands(struct xfrm_file *f)
{
	f->first = calloc(f->nlines + 1, sizeof(*f->first));
	f->last = calloc(f->nlines + 1, sizeof(*f->last));
	if (!f->first || !f->last) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	for (unsigned int i = 1; i <= f->nlines; i++) {
		unsigned int first = i;
		bool blank;
		const char *why = refuse(f->line[i], &blank);

		while (i < f->nlines && continued(f->line[i]))
			i++;
		if (why) {
			f->first[f->ncmds] = first;
			f->last[f->ncmds] = i;
			fprintf(stderr, PROG ": %s:%u: %s:\n", f->name, first, why);
			xfrm_file_quote(f, f->ncmds);
			return -1;
		}
		if (blank)
			continue;
		f->first[f->ncmds] = first;
		f->last[f->ncmds++] = i;
	}
	return 0;
}

int xfrm_file_read(struct xfrm_file *f, const char *name)
{
	FILE *fp = fopen(name, "r");
	size_t len;
	int err;

	memset(f, 0, sizeof(*f));
	f->name = name;
	if (!fp) {
		fprintf(stderr, PROG ": %s: %s\n", name, strerror(errno));
		return -1;
	}
	f->text = slurp(fp, &len);
	err = ferror(fp) ? errno : 0;
	fclose(fp);
	if (err || !f->text) {
		fprintf(stderr, PROG ": %s: %s\n", name, err ? strerror(err) : "out of memory");
		return -1;
	}
	if (strlen(f->text) != len) {
		fprintf(stderr, PROG ": %s: not a text file (NUL byte)\n", name);
		return -1;
	}
	if (split_lines(f, len)) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	return index_commands(f);
}

void xfrm_file_free(struct xfrm_file *f)
{
	free(f->text);
	free(f->line);
	free(f->first);
	free(f->last);
	memset(f, 0, sizeof(*f));
}

int xfrm_file_write_prefix(const struct xfrm_file *f, unsigned int n, const char *path)
{
	unsigned int end = n ? f->last[n - 1] : 0;
	FILE *fp = fopen(path, "w");
	int err = 0;

	if (!fp)
		return -errno;
	for (unsigned int i = 1; i <= end; i++)
		if (fprintf(fp, "%s\n", f->line[i]) < 0)
			err = -EIO;
	if (fclose(fp) && !err)
		err = -errno;
	return err;
}

void xfrm_file_quote(const struct xfrm_file *f, unsigned int i)
{
	fprintf(stderr, PROG ": %s:%u: ", f->name, f->first[i]);
	for (unsigned int l = f->first[i]; l <= f->last[i]; l++) {
		const char *s = f->line[l];
		int n = (int)strlen(s) - (l < f->last[i]);	/* the joining '\' */

		fprintf(stderr, "%.*s%s", n, s, l < f->last[i] ? "" : "\n");
	}
}
