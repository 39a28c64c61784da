/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * intel-ipsec-mb authenc(hmac(sha1/256/384/512),cbc(aes)): one cipher+HMAC
 * job over associated data and text in one buffer (dst itself when it is
 * contiguous, else the bounce buffer). Bursts hand contiguous requests to
 * the manager as jobs, so the multi-buffer lanes fill across packets.
 */
#include "ipsecmb.h"

struct imb_authenc_ctx {
	struct imb_aes_key aes;
	struct imb_hmac_key hmac;
};

/* Per request: the computed tag and the received ICV. */
struct imb_authenc_req {
	uint8_t tag[MAX_DIGEST];
	uint8_t icv[MAX_DIGEST];
};

static int imb_authenc_setkey(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen,
			      int idx)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct authenc_keys keys;
	int rc = crypto_authenc_extractkeys(&keys, key, keylen);

	if (unlikely(rc))
		return -EINVAL;
	rc = imb_aes_expand(&ctx->aes, keys.enckey, keys.enckeylen);
	if (!rc)
		rc = imb_hmac_setkey_common(&ctx->hmac, idx, keys.authkey, keys.authkeylen);
	return rc;
}

#define IMB_AUTHENC_SETKEY(fn, idx)                                           \
	static int fn(struct crypto_aead *tfm, const uint8_t *key, unsigned int keylen) \
	{                                                                     \
		return imb_authenc_setkey(tfm, key, keylen, idx);             \
	}

IMB_AUTHENC_SETKEY(imb_authenc_sha1_setkey, SHA1_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha256_setkey, SHA256_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha384_setkey, SHA384_I)
IMB_AUTHENC_SETKEY(imb_authenc_sha512_setkey, SHA512_I)

/*
 * Fill a job over one contiguous buffer buf = AD || text (in place).
 * Encrypt: CBC then HMAC over AD || ciphertext; decrypt: HMAC then CBC.
 */
static void imb_authenc_fill(IMB_JOB *j, const struct imb_authenc_ctx *ctx,
			     struct aead_request *req, uint8_t *buf, uint32_t textlen,
			     bool enc, uint8_t *tag)
{
	uint32_t hashlen = req->assoclen + textlen;

	j->cipher_mode = textlen ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
	j->cipher_direction = enc ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	j->chain_order = enc ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	j->enc_keys = ctx->aes.enc;
	j->dec_keys = ctx->aes.dec;
	j->key_len_in_bytes = ctx->aes.keylen;
	j->src = buf;
	j->dst = buf + req->assoclen;
	j->cipher_start_src_offset_in_bytes = req->assoclen;
	j->msg_len_to_cipher_in_bytes = textlen;
	j->iv = req->iv;
	j->iv_len_in_bytes = AES_BLOCK;
	j->hash_alg = hashlen ? ctx->hmac.sha->hmac_alg : IMB_AUTH_NULL;
	j->hash_start_src_offset_in_bytes = 0;
	j->msg_len_to_hash_in_bytes = hashlen;
	j->auth_tag_output = tag;
	j->auth_tag_output_len_in_bytes = ctx->hmac.sha->digestsize;
	j->u.HMAC._hashed_auth_key_xor_ipad = ctx->hmac.ipad;
	j->u.HMAC._hashed_auth_key_xor_opad = ctx->hmac.opad;
	j->user_data = req;
}

/*
 * Where the job runs: dst itself when AD || text || ICV is contiguous there
 * (out of place, the source is first copied over), else the bounce buffer.
 */
static uint8_t *imb_authenc_buf(struct aead_request *req, uint32_t inlen, uint32_t outlen,
				bool *bounced)
{
	uint32_t span = req->assoclen + (inlen > outlen ? inlen : outlen);
	uint8_t *d = xsg_contig(req->dst, req->dst_off, span);
	uint8_t *s;

	*bounced = false;
	if (likely(d)) {
		s = xsg_contig(req->src, req->src_off, req->assoclen + inlen);
		if (s != d)
			xsg_copy(req->dst, req->dst_off, req->src, req->src_off,
				 req->assoclen + inlen);
		return d;
	}
	s = imb_bounce(span);
	if (unlikely(!s))
		return NULL;
	xsg_copy_to_buf(s, req->src, req->src_off, req->assoclen + inlen);
	*bounced = true;
	return s;
}

/* Finish a completed job: place or check the ICV; copy back a bounce. */
static int imb_authenc_done(struct aead_request *req, uint8_t *buf, bool bounced,
			    uint32_t textlen, bool enc, const uint8_t *tag, int status)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(req->tfm);
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = req->tfm->authsize, end = req->assoclen + textlen;
	int rc = status;

	if (req->assoclen + textlen == 0)
		tag = ctx->hmac.empty_mac;
	if (unlikely(rc))
		goto out;
	if (enc) {
		memcpy(buf + end, tag, authsize);
		if (bounced)
			xsg_copy_from_buf(req->dst, req->dst_off, buf, end + authsize);
	} else if (unlikely(crypto_memneq(tag, rctx->icv, authsize))) {
		rc = -EBADMSG;
		crypto_wipe(buf + req->assoclen, textlen);
		if (!bounced)
			goto out;
	} else if (bounced) {
		xsg_copy_from_buf(req->dst, req->dst_off, buf, end);
	}
out:
	crypto_wipe(rctx->tag, sizeof(rctx->tag));
	return rc;
}

/* Prepare one request: sizes checked, buffer chosen, ICV saved. */
static uint8_t *imb_authenc_prep(struct aead_request *req, bool enc, uint32_t *textlen,
				 bool *bounced, int *err)
{
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	uint32_t authsize = req->tfm->authsize;
	uint8_t *buf;

	*textlen = enc ? req->cryptlen : req->cryptlen - authsize;
	if (unlikely(*textlen % AES_BLOCK)) {
		*err = -EINVAL;
		return NULL;
	}
	if (!enc)
		xsg_copy_to_buf(rctx->icv, req->src, req->src_off + req->assoclen + *textlen,
				authsize);
	buf = imb_authenc_buf(req, enc ? req->cryptlen : *textlen,
			      enc ? req->cryptlen + authsize : *textlen, bounced);
	*err = buf ? 0 : -EMSGSIZE;
	return buf;
}

static int imb_authenc_crypt(struct aead_request *req, bool enc)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(req->tfm);
	struct imb_authenc_req *rctx = aead_request_ctx(req);
	IMB_MGR *m = imb_mgr_sha(ctx->hmac.sha->shani);
	uint32_t textlen;
	bool bounced;
	uint8_t *buf;
	int rc;

	if (unlikely(!m))
		return -ENOMEM;
	buf = imb_authenc_prep(req, enc, &textlen, &bounced, &rc);
	if (unlikely(!buf))
		return rc;
	/* An empty message has nothing to cipher and a tag fixed at setkey. */
	if (likely(req->assoclen + textlen)) {
		imb_authenc_fill(imb_job(m), ctx, req, buf, textlen, enc, rctx->tag);
		rc = imb_run_job(m);
	}
	return imb_authenc_done(req, buf, bounced, textlen, enc, rctx->tag, rc);
}

static int imb_authenc_encrypt(struct aead_request *req)
{
	return imb_authenc_crypt(req, true);
}

static int imb_authenc_decrypt(struct aead_request *req)
{
	return imb_authenc_crypt(req, false);
}

static void imb_authenc_complete(IMB_JOB *j, bool enc)
{
	struct aead_request *req = j->user_data;
	uint32_t textlen = j->msg_len_to_cipher_in_bytes;
	uint8_t *buf = (uint8_t *)(uintptr_t)j->src;
	int st = j->status == IMB_STATUS_COMPLETED ? 0 : -EINVAL;

	req->err = imb_authenc_done(req, buf, false, textlen, enc, j->auth_tag_output, st);
}

/*
 * Burst: contiguous requests go to the manager as jobs (the multi-buffer
 * lanes fill up across packets); chained ones run one by one afterwards.
 */
static uint16_t imb_authenc_burst(struct crypto_aead *tfm, struct aead_request **reqs,
				  uint16_t n, bool enc)
{
	struct imb_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	IMB_MGR *m = imb_mgr();
	uint16_t i, later = 0;
	IMB_JOB *j;

	if (unlikely(!m)) {
		for (i = 0; i < n; i++)
			reqs[i]->err = -ENOMEM;
		return n;
	}
	for (i = 0; i < n; i++) {
		struct aead_request *req = reqs[i];
		uint32_t authsize = tfm->authsize;
		uint32_t textlen = enc ? req->cryptlen : req->cryptlen - authsize;
		uint32_t span = req->assoclen + (enc ? req->cryptlen + authsize : textlen);
		uint8_t *buf;
		bool bounced;
		int rc;

		/* Jobs run in place on a contiguous dst; the rest wait for the sync path. */
		if (!xsg_contig(req->dst, req->dst_off, span) || req->assoclen + textlen == 0 ||
		    textlen % AES_BLOCK) {
			req->err = 1;
			later++;
			continue;
		}
		buf = imb_authenc_prep(req, enc, &textlen, &bounced, &rc);
		req->err = 0;
		imb_authenc_fill(imb_job(m), ctx, req, buf, textlen, enc,
				 ((struct imb_authenc_req *)aead_request_ctx(req))->tag);
		for (j = IMB_SUBMIT_JOB(m); j; j = IMB_GET_COMPLETED_JOB(m))
			imb_authenc_complete(j, enc);
	}
	while ((j = IMB_FLUSH_JOB(m)) != NULL) {
		imb_authenc_complete(j, enc);
		while ((j = IMB_GET_COMPLETED_JOB(m)) != NULL)
			imb_authenc_complete(j, enc);
	}
	for (i = 0; later && i < n; i++) {
		if (reqs[i]->err != 1)
			continue;
		reqs[i]->err = imb_authenc_crypt(reqs[i], enc);
		later--;
	}
	return n;
}

static uint16_t imb_authenc_encrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs,
					  uint16_t n)
{
	return imb_authenc_burst(tfm, reqs, n, true);
}

static uint16_t imb_authenc_decrypt_burst(struct crypto_aead *tfm, struct aead_request **reqs,
					  uint16_t n)
{
	return imb_authenc_burst(tfm, reqs, n, false);
}

#define IMB_AUTHENC(sha, ds, setkey_)                                         \
	IMB_AEAD("authenc(hmac(" sha "),cbc(aes))", "authenc-hmac-" sha "-cbc-aes-ipsecmb", \
		 16, 16, ds, struct imb_authenc_ctx, sizeof(struct imb_authenc_req), setkey_, \
		 NULL, imb_authenc_encrypt, imb_authenc_decrypt, imb_authenc_encrypt_burst, \
		 imb_authenc_decrypt_burst)

static struct aead_alg imb_authenc_aeads[] = {
	IMB_AUTHENC("sha1", 20, imb_authenc_sha1_setkey),
	IMB_AUTHENC("sha256", 32, imb_authenc_sha256_setkey),
	IMB_AUTHENC("sha384", 48, imb_authenc_sha384_setkey),
	IMB_AUTHENC("sha512", 64, imb_authenc_sha512_setkey),
};

int imb_register_authenc(void)
{
	return crypto_register_aeads(imb_authenc_aeads, ARRAY_LEN(imb_authenc_aeads));
}

void imb_unregister_authenc(void)
{
	crypto_unregister_aeads(imb_authenc_aeads, ARRAY_LEN(imb_authenc_aeads));
}
