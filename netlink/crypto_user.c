/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NETLINK_CRYPTO family: algorithm reports in the layout of the
 * kernel's crypto_user (<linux/cryptouser.h>), built from the cryptoapi
 * registry.
 */
#include <errno.h>
#include <string.h>

#include <linux/cryptouser.h>

#include "cryptoapi/listing.h"
#include "netlink/crypto_user.h"
#include "netlink/xnl.h"

/* ---- one report ---- */

static uint32_t cru_type(enum crypto_alg_type t)
{
	switch (t) {
	case CRYPTO_ALG_TYPE_CIPHER:	return CRU_TYPE_CIPHER;
	case CRYPTO_ALG_TYPE_SKCIPHER:	return CRU_TYPE_SKCIPHER;
	case CRYPTO_ALG_TYPE_AEAD:	return CRU_TYPE_AEAD;
	case CRYPTO_ALG_TYPE_SHASH:	return CRU_TYPE_SHASH;
	case CRYPTO_ALG_TYPE_RNG:	return CRU_TYPE_RNG;
	default:			return 0;
	}
}

static uint32_t cru_flags(const struct crypto_alg *alg)
{
	uint32_t f = cru_type(alg->cra_type);

	if (alg->cra_flags & CRYPTO_ALG_TESTED)
		f |= CRU_FLAG_TESTED;
	if (alg->cra_flags & CRYPTO_ALG_DEAD)
		f |= CRU_FLAG_DEAD;
	if (alg->cra_flags & CRYPTO_ALG_ASYNC)
		f |= CRU_FLAG_ASYNC;
	if (alg->cra_flags & CRYPTO_ALG_INSTANCE)
		f |= CRU_FLAG_INSTANCE;
	if (alg->cra_flags & CRYPTO_ALG_HARDWARE)
		f |= CRU_FLAG_KERN_DRIVER_ONLY;
	if (alg->cra_flags & CRYPTO_ALG_INTERNAL)
		f |= CRU_FLAG_INTERNAL;
	return f;
}

/* Copy a name, cut to CRYPTO_MAX_NAME - 1 (the full one goes in an attribute). */
static void put_name(char dst[CRYPTO_MAX_NAME], const char *src)
{
	size_t n = 0;

	while (n < CRYPTO_MAX_NAME - 1 && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void put_str_attr(struct xnl_buf *b, struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	xnl_attr_put(b, nlh, type, strlen(s) + 1, s);
}

/* The kernel's type-specific report (CRYPTOCFGA_REPORT_*). */
static void put_report(struct xnl_buf *b, struct nlmsghdr *nlh, const struct crypto_alg *alg,
		       const struct crypto_alg_info *i)
{
	switch (alg->cra_type) {
	case CRYPTO_ALG_TYPE_CIPHER: {
		struct crypto_report_cipher r = {
			.blocksize = i->blocksize,
			.min_keysize = i->min_keysize,
			.max_keysize = i->max_keysize,
		};

		strcpy(r.type, "cipher");
		xnl_attr_put(b, nlh, CRYPTOCFGA_REPORT_CIPHER, sizeof(r), &r);
		break;
	}
	case CRYPTO_ALG_TYPE_SKCIPHER: {
		struct crypto_report_blkcipher r = {
			.blocksize = i->blocksize,
			.min_keysize = i->min_keysize,
			.max_keysize = i->max_keysize,
			.ivsize = i->ivsize,
		};

		strcpy(r.type, "skcipher");
		strcpy(r.geniv, "<none>");
		xnl_attr_put(b, nlh, CRYPTOCFGA_REPORT_BLKCIPHER, sizeof(r), &r);
		break;
	}
	case CRYPTO_ALG_TYPE_AEAD: {
		struct crypto_report_aead r = {
			.blocksize = i->blocksize,
			.maxauthsize = i->maxauthsize,
			.ivsize = i->ivsize,
		};

		strcpy(r.type, "aead");
		strcpy(r.geniv, "<none>");
		xnl_attr_put(b, nlh, CRYPTOCFGA_REPORT_AEAD, sizeof(r), &r);
		xnl_attr_put_u32(b, nlh, XFRMGW_CRYPTOCFGA_MAX_KEYSIZE, i->max_keysize);
		break;
	}
	case CRYPTO_ALG_TYPE_SHASH: {
		struct crypto_report_hash r = {
			.blocksize = i->blocksize,
			.digestsize = i->digestsize,
		};

		strcpy(r.type, "shash");
		xnl_attr_put(b, nlh, CRYPTOCFGA_REPORT_HASH, sizeof(r), &r);
		break;
	}
	case CRYPTO_ALG_TYPE_RNG: {
		struct crypto_report_rng r = { .seedsize = i->seedsize };

		strcpy(r.type, "rng");
		xnl_attr_put(b, nlh, CRYPTOCFGA_REPORT_RNG, sizeof(r), &r);
		break;
	}
	default:
		break;
	}
}

/* Build the report; the caller closes it (xnl_msg_end or xnl_dump_commit). */
static struct nlmsghdr *build_alg(struct xnl_buf *b, const struct crypto_alg *alg,
				  uint16_t flags, uint32_t seq, uint32_t portid)
{
	struct crypto_user_alg cru = {
		.cru_type = cru_type(alg->cra_type),
		.cru_mask = CRU_TYPE_MASK,
		.cru_refcnt = (uint32_t)atomic_load(&alg->cra_refcnt),
		.cru_flags = cru_flags(alg),
	};
	struct crypto_alg_info info;
	struct nlmsghdr *nlh;

	crypto_alg_info(alg, &info);
	put_name(cru.cru_name, alg->cra_name);
	put_name(cru.cru_driver_name, alg->cra_driver_name);
	put_name(cru.cru_module_name, alg->cra_module);
	nlh = xnl_msg_start(b, CRYPTO_MSG_GETALG, flags, seq, portid, &cru, sizeof(cru));
	xnl_attr_put_u32(b, nlh, CRYPTOCFGA_PRIORITY_VAL, (uint32_t)alg->cra_priority);
	put_report(b, nlh, alg, &info);
	put_str_attr(b, nlh, XFRMGW_CRYPTOCFGA_SELFTEST, info.selftest);
	if ((alg->cra_flags & CRYPTO_ALG_DEAD) && alg->cra_selftest_msg[0])
		put_str_attr(b, nlh, XFRMGW_CRYPTOCFGA_FAILURE, alg->cra_selftest_msg);
	if (alg->cra_perf_mbps)
		xnl_attr_put_u32(b, nlh, XFRMGW_CRYPTOCFGA_THROUGHPUT, alg->cra_perf_mbps);
	if (info.chunksize)
		xnl_attr_put_u32(b, nlh, XFRMGW_CRYPTOCFGA_CHUNKSIZE, info.chunksize);
	if (strlen(alg->cra_name) >= CRYPTO_MAX_NAME)
		put_str_attr(b, nlh, XFRMGW_CRYPTOCFGA_NAME, alg->cra_name);
	if (strlen(alg->cra_driver_name) >= CRYPTO_MAX_NAME)
		put_str_attr(b, nlh, XFRMGW_CRYPTOCFGA_DRIVER, alg->cra_driver_name);
	return nlh;
}

int crypto_user_put_alg(struct xnl_buf *b, const struct crypto_alg *alg, uint16_t flags,
			uint32_t seq, uint32_t portid)
{
	return xnl_msg_end(b, build_alg(b, alg, flags, seq, portid));
}

/* ---- finding the algorithm a request names ---- */

struct alg_match {
	const struct crypto_user_alg *req;
	struct crypto_alg *best;	/* reference held */
};

static bool usable(const struct crypto_alg *alg)
{
	return (alg->cra_flags & CRYPTO_ALG_TESTED) && !(alg->cra_flags & CRYPTO_ALG_DEAD);
}

/* As the kernel's crypto_alg_match(): driver name if given, else name. */
static int match_one(const struct crypto_alg *alg, void *arg)
{
	struct alg_match *m = arg;
	const struct crypto_user_alg *p = m->req;
	uint32_t mask = p->cru_mask & CRU_TYPE_MASK;
	bool hit;

	if ((cru_type(alg->cra_type) & mask) != (p->cru_type & mask))
		return 0;
	if (p->cru_driver_name[0])
		hit = strcmp(alg->cra_driver_name, p->cru_driver_name) == 0;
	else
		hit = strcmp(alg->cra_name, p->cru_name) == 0;
	if (!hit)
		return 0;
	/* Prefer one that works, then the highest priority. */
	if (m->best && usable(m->best) && !usable(alg))
		return 0;
	if (m->best && usable(m->best) == usable(alg) &&
	    m->best->cra_priority >= alg->cra_priority)
		return 0;
	if (m->best)
		crypto_alg_put(m->best);
	m->best = (struct crypto_alg *)alg;
	crypto_alg_get(m->best);
	return 0;
}

static struct crypto_alg *find_registered(const struct crypto_user_alg *p)
{
	struct alg_match m = { .req = p };

	crypto_alg_foreach(match_one, &m);
	return m.best;
}

/* Instantiate a template name for each type the request allows. */
static int instantiate(const struct crypto_user_alg *p)
{
	static const enum crypto_alg_type types[] = {
		CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_SKCIPHER, CRYPTO_ALG_TYPE_SHASH,
		CRYPTO_ALG_TYPE_CIPHER, CRYPTO_ALG_TYPE_RNG,
	};
	uint32_t mask = p->cru_mask & CRU_TYPE_MASK;
	int rc = -ENOENT;

	if (!strchr(p->cru_name, '('))
		return -ENOENT;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct crypto_alg *alg;

		if ((cru_type(types[i]) & mask) != (p->cru_type & mask))
			continue;
		rc = crypto_alg_lookup(&alg, p->cru_name, types[i], 0, 0);
		if (rc == 0) {
			crypto_alg_put(alg);
			return 0;
		}
		if (rc != -ENOENT)
			return rc;
	}
	return rc;
}

/* ---- requests ---- */

static int parse_request(struct xnl_req *req, const struct crypto_user_alg **out)
{
	const struct crypto_user_alg *p;

	if (mnl_nlmsg_get_payload_len(req->nlh) < sizeof(*p)) {
		xnl_ext_set(&req->ext, NULL, "crypto_user: request shorter than struct crypto_user_alg");
		return -EINVAL;
	}
	p = mnl_nlmsg_get_payload(req->nlh);
	if (strnlen(p->cru_name, CRYPTO_MAX_NAME) == CRYPTO_MAX_NAME ||
	    strnlen(p->cru_driver_name, CRYPTO_MAX_NAME) == CRYPTO_MAX_NAME) {
		xnl_ext_set(&req->ext, NULL, "crypto_user: algorithm name not terminated");
		return -EINVAL;
	}
	*out = p;
	return 0;
}

static int getalg_one(struct xnl_req *req, const struct crypto_user_alg *p)
{
	uint8_t space[2048];
	struct xnl_buf b = { .data = space, .cap = sizeof(space) };
	struct crypto_alg *alg;
	int rc;

	alg = find_registered(p);
	if (!alg && !p->cru_driver_name[0]) {
		rc = instantiate(p);
		alg = find_registered(p);
		if (!alg) {
			xnl_ext_set(&req->ext, NULL, "crypto_user: no algorithm '%s'", p->cru_name);
			return rc ? rc : -ENOENT;
		}
	}
	if (!alg) {
		xnl_ext_set(&req->ext, NULL, "crypto_user: no driver '%s'", p->cru_driver_name);
		return -ENOENT;
	}
	rc = crypto_user_put_alg(&b, alg, 0, req->nlh->nlmsg_seq, req->portid);
	crypto_alg_put(alg);
	if (rc)
		return rc;
	return xnl_reply(req, b.data, b.len);
}

/* A dump walks the registry by position: cursor[0] algorithms are done. */
struct dump_walk {
	struct xnl_dump *d;
	uint64_t pos;
	bool full;
};

static int dump_one(const struct crypto_alg *alg, void *arg)
{
	struct dump_walk *w = arg;
	struct xnl_dump *d = w->d;
	struct nlmsghdr *nlh;

	if (w->pos++ < d->cursor[0])
		return 0;
	nlh = build_alg(&d->page, alg, NLM_F_MULTI, d->seq, d->portid);
	if (xnl_dump_commit(d, nlh)) {
		d->cursor[0]++;
		return 0;
	}
	w->full = true;
	return 1;
}

static int getalg_dump_fn(struct xnl_dump *d)
{
	struct dump_walk w = { .d = d };

	crypto_alg_foreach(dump_one, &w);
	return w.full ? 1 : 0;
}

static int newalg(struct xnl_req *req, const struct crypto_user_alg *p)
{
	struct crypto_alg *alg;
	int rc;

	if (p->cru_driver_name[0]) {
		alg = find_registered(p);
		if (alg)
			crypto_alg_put(alg);
		xnl_ext_set(&req->ext, NULL, "crypto_user: only templates can be instantiated");
		return alg ? -EEXIST : -ENOENT;
	}
	alg = find_registered(p);
	if (alg) {
		crypto_alg_put(alg);
		return -EEXIST;
	}
	rc = instantiate(p);
	if (rc)
		xnl_ext_set(&req->ext, NULL, "crypto_user: cannot instantiate '%s'", p->cru_name);
	return rc;
}

static int crypto_user_rcv(struct xnl_req *req)
{
	const struct nlmsghdr *nlh = req->nlh;
	const struct crypto_user_alg *p;
	int rc;

	if (nlh->nlmsg_type == CRYPTO_MSG_GETALG && (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		const struct xnl_dump tmpl = { .fn = getalg_dump_fn };

		return xnl_dump_start(req, &tmpl);
	}
	switch (nlh->nlmsg_type) {
	case CRYPTO_MSG_GETALG:
		rc = parse_request(req, &p);
		return rc ? rc : getalg_one(req, p);
	case CRYPTO_MSG_NEWALG:
		rc = parse_request(req, &p);
		return rc ? rc : newalg(req, p);
	case CRYPTO_MSG_DELALG:
	case CRYPTO_MSG_UPDATEALG:
	case CRYPTO_MSG_DELRNG:
		xnl_ext_set(&req->ext, NULL, "crypto_user: algorithms are built in and cannot be changed");
		return -EOPNOTSUPP;
	default:
		xnl_ext_set(&req->ext, NULL, "crypto_user: unknown message type %u", nlh->nlmsg_type);
		return -EOPNOTSUPP;
	}
}

const struct xnl_family xfrmgw_crypto_user_family = {
	.protocol = NETLINK_CRYPTO,
	.name = "crypto_user",
	.rcv = crypto_user_rcv,
};
