/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the ESP test programs: SA descriptions in a small text
 * format, EAL start, packets as mbuf chains cut at odd boundaries.
 *
 * SA description, one "key value..." per line, '#' starts a comment:
 *   spi 0x1000                      SPI (host order here)
 *   src 192.0.2.1 / dst 192.0.2.2   outer addresses (family from them)
 *   mode tunnel|transport
 *   aead NAME HEXKEY ICVBITS        e.g. rfc4106(gcm(aes)) 0x... 128
 *   enc NAME HEXKEY                 e.g. cbc(aes) 0x...
 *   auth NAME HEXKEY TRUNCBITS      e.g. hmac(sha256) 0x... 128
 *   esn 0|1
 *   replay WINDOW                   bits (0: no window)
 *   oseq N                          last sequence number sent (64-bit)
 *   iseq N                          highest sequence number received
 *   encap SPORT DPORT [OA]          RFC 3948 UDP encapsulation [NAT-OA: encap_oa]
 *   tfcpad N
 *   flags noecn decap_dscp nopmtudisc dont_encap_dscp oseq_may_wrap
 *   lifetime soft_bytes|hard_bytes|soft_packets|hard_packets N
 */
#ifndef XFRMGW_TESTS_ESP_TEST_UTIL_H
#define XFRMGW_TESTS_ESP_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "sa/sa.h"

/* EAL without hugepages, one lcore; 0 or -1. */
int esp_test_eal_init(const char *prog);

/*
 * Build a VALID SA from a description (text, NUL-terminated), bind its
 * crypto and choose its ESP ops. NULL with err filled on failure.
 */
struct xfrm_sa *esp_test_sa_build(const char *text, char *err, size_t errlen);

/* A CMocka fixture: EAL, crypto, a pool of nbufs mbufs and one ESP lcore. */
struct esp_lcore;

struct esp_test_fx {
	struct rte_mempool *pool;
	struct esp_lcore *lc;
};

/* esp_test_eal_init(prog), then the pool and lcore; 0 or -1. */
int esp_test_fx_init(struct esp_test_fx *f, const char *prog, const char *pool_name,
		     unsigned int nbufs);
/* Frees the lcore and pool, then crypto_exit(). */
void esp_test_fx_fini(struct esp_test_fx *f);

/* Hex key ("0x" optional) into out; its length in bytes, or -1. */
int esp_test_hex_key(const char *s, uint8_t *out, size_t cap);

/* IPv4 or IPv6 address text; 0 with the family, or -1. */
int esp_test_parse_addr(const char *s, xfrm_address_t *a, uint16_t *family);

/* A line split at blanks into at most max tokens; 0 for blanks and '#'. */
int esp_test_tokens(char *line, char **tok, int max);

/*
 * The description lines ESP and AH SAs share: spi, src, dst, mode, esn,
 * replay, oseq, iseq, lifetime. Defaults: tunnel mode, window 64, no limits.
 */
struct esp_test_sa_common {
	struct xfrm_usersa_info info;
	uint32_t window;
	uint64_t oseq, iseq;
};

void esp_test_sa_common_init(struct esp_test_sa_common *c, uint8_t proto);

/* 0: taken; 1: not a shared key; -1: bad or missing value. */
int esp_test_sa_common_line(struct esp_test_sa_common *c, char **tok, int n);

/* sa_alloc() with the parsed usersa info (replay_window capped at 255). */
struct xfrm_sa *esp_test_sa_alloc(struct esp_test_sa_common *c);

/* Replay window, oseq and highest iseq onto sa; 0, or an error with err. */
int esp_test_sa_seq(struct xfrm_sa *sa, const struct esp_test_sa_common *c, char *err,
		    size_t errlen);

/*
 * sa_set_aead / sa_set_auth_trunc with the netlink attribute built from a
 * name and a key of klen bytes (at most 128); the copy is wiped.
 */
int esp_test_set_aead(struct xfrm_sa *sa, const char *name, const uint8_t *key, int klen,
		      unsigned int icv_bits, const char **msg);
int esp_test_set_auth(struct xfrm_sa *sa, const char *name, const uint8_t *key, int klen,
		      unsigned int trunc_bits, const char **msg);

/* Read a whole file into a NUL-terminated buffer (free() it). */
char *esp_test_read_file(const char *path);

/*
 * A packet as a chain of nsegs segments (1 = flat) cut at odd offsets.
 * tight: the head has no headroom and the last segment no tailroom, so
 * headers and trailers need new segments.
 */
struct rte_mbuf *esp_test_mbuf(struct rte_mempool *pool, const uint8_t *data, uint32_t len,
			       unsigned int nsegs, int tight);

/* Copy a chain out; returns its length, or -1 if cap is too small. */
int esp_test_flat(const struct rte_mbuf *m, uint8_t *buf, uint32_t cap);

#endif
