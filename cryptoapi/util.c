/* SPDX-License-Identifier: BSD-3-Clause */
/* Constant-time compare, wiping, logging, authenc key blobs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "algapi.h"

int crypto_memneq(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d != 0;
}

void crypto_wipe(void *p, size_t len)
{
	if (len)
		explicit_bzero(p, len);
}

static void default_log(int level, const char *msg)
{
	if (level <= CRYPTO_LOG_WARNING)
		fprintf(stderr, "%s\n", msg);
}

static void (*log_fn)(int, const char *) = default_log;

void crypto_set_log(void (*fn)(int level, const char *msg))
{
	log_fn = fn ? fn : default_log;
}

void crypto_log(int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_fn(level, buf);
}

/* rtattr header (len, type) + be32 enckeylen, as crypto_authenc_keys uses */
#define AUTHENC_PARAM_LEN 8
#define AUTHENC_KEYA_PARAM 1

int crypto_authenc_extractkeys(struct authenc_keys *keys, const uint8_t *key, unsigned int keylen)
{
	uint16_t rta_len, rta_type;

	if (keylen < AUTHENC_PARAM_LEN)
		return -EINVAL;
	/* rtattr is host endian, as the kernel's */
	memcpy(&rta_len, key, 2);
	memcpy(&rta_type, key + 2, 2);
	if (rta_type != AUTHENC_KEYA_PARAM || rta_len != AUTHENC_PARAM_LEN)
		return -EINVAL;
	keys->enckeylen = get_be32(key + 4);
	key += AUTHENC_PARAM_LEN;
	keylen -= AUTHENC_PARAM_LEN;
	if (keylen < keys->enckeylen)
		return -EINVAL;
	keys->authkeylen = keylen - keys->enckeylen;
	keys->authkey = key;
	keys->enckey = key + keys->authkeylen;
	return 0;
}

int crypto_authenc_buildkey(uint8_t *out, size_t outlen, const uint8_t *authkey,
			    unsigned int authkeylen, const uint8_t *enckey, unsigned int enckeylen)
{
	uint16_t rta_len = AUTHENC_PARAM_LEN, rta_type = AUTHENC_KEYA_PARAM;
	size_t need = AUTHENC_PARAM_LEN + (size_t)authkeylen + enckeylen;

	if (need > outlen)
		return -ENOSPC;
	memcpy(out, &rta_len, 2);
	memcpy(out + 2, &rta_type, 2);
	put_be32(out + 4, enckeylen);
	if (authkeylen)
		memcpy(out + AUTHENC_PARAM_LEN, authkey, authkeylen);
	if (enckeylen)
		memcpy(out + AUTHENC_PARAM_LEN + authkeylen, enckey, enckeylen);
	return (int)need;
}
