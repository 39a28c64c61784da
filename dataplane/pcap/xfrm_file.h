/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The --xfrm FILE as iproute2's batch reader sees it: physical lines
 * numbered from 1, '#' comments, a trailing '\' joining the next line, one
 * command per logical line. Private to dataplane/pcap/.
 */
#ifndef XFRMGW_DATAPLANE_PCAP_XFRM_FILE_H
#define XFRMGW_DATAPLANE_PCAP_XFRM_FILE_H

struct xfrm_file {
	const char *name;
	char *text;
	char **line;		/* physical lines, line[1..nlines] */
	unsigned int nlines;
	unsigned int *first;	/* command i: physical lines first[i]..last[i] */
	unsigned int *last;
	unsigned int ncmds;
};

/*
 * Read and index FILE; refuse anything but `xfrm` commands (and `xfrm
 * monitor`). 0, or -1 with the reason (file, line) printed to stderr.
 */
int xfrm_file_read(struct xfrm_file *f, const char *name);
void xfrm_file_free(struct xfrm_file *f);

/* Write the physical lines of the first n commands to path. 0 or -errno. */
int xfrm_file_write_prefix(const struct xfrm_file *f, unsigned int n, const char *path);

/* Print "PROG: FILE:LINE: <command i, its lines joined>" to stderr. */
void xfrm_file_quote(const struct xfrm_file *f, unsigned int i);

#endif
