/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Built-in modules: each implementation file adds itself with CRYPTO_MODULE;
 * crypto_init() loads them level by level, crypto_exit() unloads in reverse.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct crypto_module *modules;
static int init_count;

void crypto_module_add(struct crypto_module *mod)
{
	mod->next = modules;
	modules = mod;
}

/* XFRMGW_CRYPTO_DISABLE="ipsecmb,openssl" skips those driver modules. */
static bool module_disabled(const struct crypto_module *mod)
{
	const char *list = getenv("XFRMGW_CRYPTO_DISABLE");
	size_t n = strlen(mod->name);

	if (!list || mod->level != CRYPTO_MODULE_DRIVER)
		return false;
	for (const char *p = list; (p = strstr(p, mod->name)) != NULL; p += n) {
		bool start = p == list || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ',';

		if (start && end)
			return true;
	}
	return false;
}

int crypto_init(void)
{
	int failed = 0;

	crypto_registry_lock();
	if (init_count++) {
		crypto_registry_unlock();
		return 0;
	}
	for (int lvl = 0; lvl < CRYPTO_MODULE_NLEVELS; lvl++) {
		for (struct crypto_module *m = modules; m; m = m->next) {
			int rc;

			if ((int)m->level != lvl || m->loaded || module_disabled(m))
				continue;
			rc = m->init ? m->init() : 0;
			if (rc) {
				crypto_log(m->level == CRYPTO_MODULE_DRIVER ? CRYPTO_LOG_WARNING
									    : CRYPTO_LOG_ERR,
					   "crypto: module %s failed to load: %s", m->name,
					   strerror(-rc));
				/* A missing accelerator is not fatal; a broken core is. */
				if (m->level != CRYPTO_MODULE_DRIVER)
					failed = rc;
				continue;
			}
			m->loaded = true;
		}
	}
	crypto_registry_unlock();
	if (crypto_default_rng_init() != 0)
		crypto_log(CRYPTO_LOG_WARNING, "crypto: no default rng (stdrng) available");
	return failed;
}

void crypto_exit(void)
{
	crypto_registry_lock();
	if (init_count == 0 || --init_count > 0) {
		crypto_registry_unlock();
		return;
	}
	crypto_registry_unlock();
	crypto_default_rng_exit();
	crypto_remove_unused_instances();
	for (int lvl = CRYPTO_MODULE_NLEVELS - 1; lvl >= 0; lvl--) {
		for (struct crypto_module *m = modules; m; m = m->next) {
			if ((int)m->level != lvl || !m->loaded)
				continue;
			if (m->exit)
				m->exit();
			m->loaded = false;
		}
		crypto_remove_unused_instances();
	}
}

/* ---- the default rng ---- */

static struct crypto_rng *default_rng;
static pthread_mutex_t default_rng_lock = PTHREAD_MUTEX_INITIALIZER;

int crypto_default_rng_init(void)
{
	int rc = 0;

	pthread_mutex_lock(&default_rng_lock);
	if (!default_rng)
		rc = crypto_alloc_rng(&default_rng, "stdrng", 0, 0);
	if (rc == 0 && default_rng)
		/* Seeding with nothing makes a DRBG pull from its entropy sources. */
		rc = crypto_rng_reset(default_rng, NULL, 0);
	if (rc && default_rng) {
		crypto_free_rng(default_rng);
		default_rng = NULL;
	}
	pthread_mutex_unlock(&default_rng_lock);
	return rc;
}

void crypto_default_rng_exit(void)
{
	pthread_mutex_lock(&default_rng_lock);
	crypto_free_rng(default_rng);
	default_rng = NULL;
	pthread_mutex_unlock(&default_rng_lock);
}

int crypto_get_random_bytes(uint8_t *dst, unsigned int dlen)
{
	int rc;

	pthread_mutex_lock(&default_rng_lock);
	rc = default_rng ? crypto_rng_get_bytes(default_rng, dst, dlen) : -ENOENT;
	pthread_mutex_unlock(&default_rng_lock);
	return rc;
}
