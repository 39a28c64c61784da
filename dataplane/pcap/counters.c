/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The counters of a run, printed to stderr one "name value" per line
 * (the format docs/PCAP.md documents; tests parse it). Every packet read
 * counts once under packets.{decapsulated,encapsulated,passed,dropped} and
 * once under its passed.* or drop.* reason.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/pcap/pcap_mode.h"
#include "sa/sa.h"

static const char *const drop_names[XPC_DROP_MAX] = {
	[XPC_DROP_MALFORMED] = "malformed",
	[XPC_DROP_SNAPLEN] = "snaplen",
	[XPC_DROP_TRUNCATED] = "truncated",
	[XPC_DROP_NO_SA] = "no_sa",
	[XPC_DROP_POLICY_BLOCK] = "policy_block",
	[XPC_DROP_ACQUIRE] = "no_sa_acquire",
	[XPC_DROP_POLICY_MISMATCH] = "policy_mismatch",
	[XPC_DROP_NATT_KEEPALIVE] = "natt_keepalive",
	[XPC_DROP_TOO_DEEP] = "too_deep",
	[XPC_DROP_LINK_FAMILY] = "link_family",
	[XPC_DROP_NO_MBUF] = "no_mbuf",
	[XPC_DROP_TOO_BIG] = "too_big",
	[XPC_DROP_ESP] = "esp",
	[XPC_DROP_AH] = "ah",
	[XPC_DROP_POLICY_CLEARTEXT] = "policy_cleartext",
	[XPC_DROP_POLICY_TEMPLATES] = "policy_templates",
	[XPC_DROP_POLICY_NONE_TUNNEL] = "policy_none_tunnel",
	[XPC_DROP_POLICY_DEFAULT_BLOCK] = "policy_default_block",
	[XPC_DROP_BAD_EXT_HDRS] = "bad_ext_headers",
};

static const char *const pass_names[XPC_PASS_MAX] = {
	[XPC_PASS_NOT_IP] = "not_ip",
	[XPC_PASS_NO_POLICY] = "no_policy",
	[XPC_PASS_BYPASS] = "bypass",
	[XPC_PASS_NATT_IKE] = "natt_ike",
	[XPC_PASS_LOCAL] = "local",
};

/* The lookup index holds pointers to the entries, sorted by SA address. */
static int by_sa(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct xpc_sa_stats *const *)a)->sa;
	uintptr_t y = (uintptr_t)(*(struct xpc_sa_stats *const *)b)->sa;

	return x < y ? -1 : x > y;
}

int xpc_counters_init(struct xpc_counters *c, struct xfrm_sa *const *sas, unsigned int n)
{
	memset(c, 0, sizeof(*c));
	if (!n)
		return 0;
	c->sa = calloc(n, sizeof(*c->sa));
	c->index = calloc(n, sizeof(*c->index));
	if (!c->sa || !c->index) {
		xpc_counters_free(c);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		c->sa[i].sa = sas[i];
		c->index[i] = &c->sa[i];
	}
	c->nsa = n;
	qsort(c->index, n, sizeof(*c->index), by_sa);
	return 0;
}

void xpc_counters_free(struct xpc_counters *c)
{
	free(c->sa);
	free(c->index);
	c->sa = NULL;
	c->index = NULL;
	c->nsa = 0;
}

struct xpc_sa_stats *xpc_sa_stats(struct xpc_counters *c, const struct xfrm_sa *sa)
{
	struct xpc_sa_stats key = { .sa = (struct xfrm_sa *)sa }, *kp = &key, **hit;

	if (!c->nsa)
		return NULL;
	hit = bsearch(&kp, c->index, c->nsa, sizeof(*c->index), by_sa);
	return hit ? *hit : NULL;
}

static void put(const char *name, uint64_t v)
{
	fprintf(stderr, "%s %llu\n", name, (unsigned long long)v);
}

static const char *proto_name(uint8_t proto)
{
	return proto == IPPROTO_ESP ? "esp" : proto == IPPROTO_AH ? "ah" : "comp";
}

static void print_sa(const struct xpc_sa_stats *s)
{
	const struct xfrm_sa *sa = s->sa;
	char addr[INET6_ADDRSTRLEN], key[128];
	static const char *const fields[] = {
		"decap_packets", "decap_bytes", "encap_packets", "encap_bytes", "dropped",
	};
	const uint64_t v[] = {
		s->decap_packets, s->decap_bytes, s->encap_packets, s->encap_bytes, s->dropped,
	};

	inet_ntop(sa->family, &sa->id.daddr, addr, sizeof(addr));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		snprintf(key, sizeof(key), "sa.%s.0x%08x@%s.%s", proto_name(sa->id.proto),
			 ntohl(sa->id.spi), addr, fields[i]);
		put(key, v[i]);
	}
}

static uint64_t sum(const uint64_t *v, unsigned int n)
{
	uint64_t s = 0;

	for (unsigned int i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* drop.esp.auth, drop.ah.replay, ...: each type's refusals by its reason names. */
static void print_reasons(const struct xfrm_type *t, const uint64_t *v)
{
	unsigned int n = t->drop_max < XPC_REASONS ? t->drop_max : XPC_REASONS;
	char key[96];

	for (unsigned int i = 0; i < n; i++) {
		if (!v[i])
			continue;
		snprintf(key, sizeof(key), "drop.%s.%s", t->name, t->drop_name(i));
		put(key, v[i]);
	}
}

void xpc_counters_print(const struct xpc_counters *c)
{
	char key[64];

	put("packets.read", c->read);
	put("packets.written", c->written);
	put("packets.decapsulated", c->decapsulated);
	put("packets.encapsulated", c->encapsulated);
	put("packets.passed", sum(c->passed, XPC_PASS_MAX));
	put("packets.dropped", sum(c->drop, XPC_DROP_MAX));
	for (unsigned int i = 0; i < XPC_PASS_MAX; i++) {
		snprintf(key, sizeof(key), "passed.%s", pass_names[i]);
		put(key, c->passed[i]);
	}
	for (unsigned int i = 0; i < XPC_DROP_MAX; i++) {
		snprintf(key, sizeof(key), "drop.%s", drop_names[i]);
		put(key, c->drop[i]);
	}
	for (unsigned int i = 0; i < XFRM_SLOTS; i++)
		if (xfrm_type_at(i))
			print_reasons(xfrm_type_at(i), c->type_drop[i]);
	put("info.natt_esp", c->natt_esp);
	put("info.unknown_spi", c->unknown_spi);
	for (unsigned int i = 0; i < c->nsa; i++)
		print_sa(&c->sa[i]);
}
