/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Templates: "tmpl(arg[,arg...])" names are split at the top-level commas and
 * handed to the template's create(), which grabs its children (the best
 * tested algorithm for each argument) and registers the instance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alg_type.h"
#include "internal.h"
#include "listing.h"

struct crypto_template_list crypto_template_list =
	TAILQ_HEAD_INITIALIZER(crypto_template_list);

int crypto_register_template(struct crypto_template *tmpl)
{
	struct crypto_template *q;

	if (!tmpl->name || !tmpl->name[0] || !tmpl->create || strchr(tmpl->name, '('))
		return -EINVAL;
	crypto_registry_lock();
	TAILQ_FOREACH(q, &crypto_template_list, list) {
		if (strcmp(q->name, tmpl->name) == 0) {
			crypto_registry_unlock();
			return -EEXIST;
		}
	}
	TAILQ_INSERT_TAIL(&crypto_template_list, tmpl, list);
	crypto_registry_unlock();
	return 0;
}

void crypto_unregister_template(struct crypto_template *tmpl)
{
	struct crypto_alg *q, *tmp;

	crypto_registry_lock();
	/* Instances of this template go with it (only unused ones can). */
	TAILQ_FOREACH_SAFE(q, &crypto_alg_list, cra_list, tmp)
		if (q->cra_tmpl == tmpl && atomic_load(&q->cra_refcnt) == 1)
			crypto_destroy_instance(q);
	TAILQ_REMOVE(&crypto_template_list, tmpl, list);
	crypto_registry_unlock();
}

void crypto_destroy_instance(struct crypto_alg *inst)
{
	TAILQ_REMOVE(&crypto_alg_list, inst, cra_list);
	atomic_store(&inst->cra_refcnt, 0);
	inst->cra_flags &= ~(CRYPTO_ALG_TESTED | CRYPTO_ALG_DEAD);
	crypto_drop_spawns(inst);
	inst->cra_destroy(inst);
}

void crypto_remove_unused_instances(void)
{
	struct crypto_alg *q, *tmp;
	bool progress = true;

	crypto_registry_lock();
	/* Removing one instance can release the last user of another. */
	while (progress) {
		progress = false;
		TAILQ_FOREACH_SAFE(q, &crypto_alg_list, cra_list, tmp) {
			if ((q->cra_flags & CRYPTO_ALG_INSTANCE) &&
			    atomic_load(&q->cra_refcnt) == 1) {
				crypto_destroy_instance(q);
				progress = true;
			}
		}
	}
	crypto_registry_unlock();
}

#define MAX_ARGS CRYPTO_MAX_SPAWNS

int crypto_instantiate(const char *name, int depth)
{
	char buf[CRYPTO_MAX_ALG_NAME];
	const char *args[MAX_ARGS];
	struct crypto_template *tmpl;
	int nargs = 0, level = 0;
	char *open, *p, *start;
	size_t len = strlen(name);

	if (depth > 8)
		return -ELOOP;
	if (len >= sizeof(buf) || len < 4 || name[len - 1] != ')')
		return -ENOENT;
	memcpy(buf, name, len + 1);
	open = strchr(buf, '(');
	if (!open || open == buf)
		return -ENOENT;
	*open = '\0';
	buf[len - 1] = '\0';

	/* Split the arguments at top-level commas. */
	start = open + 1;
	for (p = start; *p; p++) {
		if (*p == '(') {
			level++;
		} else if (*p == ')') {
			if (--level < 0)
				return -ENOENT;
		} else if (*p == ',' && level == 0) {
			if (nargs == MAX_ARGS - 1 || p == start)
				return -ENOENT;
			*p = '\0';
			args[nargs++] = start;
			start = p + 1;
		}
	}
	if (level != 0 || !*start || nargs == MAX_ARGS)
		return -ENOENT;
	args[nargs++] = start;

	crypto_registry_lock();
	TAILQ_FOREACH(tmpl, &crypto_template_list, list)
		if (strcmp(tmpl->name, buf) == 0)
			break;
	crypto_registry_unlock();
	if (!tmpl)
		return -ENOENT;
	return tmpl->create(tmpl, args, nargs);
}

int crypto_inst_setname(struct crypto_alg *inst, const char *tmpl_name)
{
	char name[CRYPTO_MAX_ALG_NAME], drv[CRYPTO_MAX_ALG_NAME];
	size_t nl, dl;
	int i;

	nl = (size_t)snprintf(name, sizeof(name), "%s(", tmpl_name);
	dl = (size_t)snprintf(drv, sizeof(drv), "%s(", tmpl_name);
	for (i = 0; i < CRYPTO_MAX_SPAWNS && inst->cra_spawns[i]; i++) {
		const char *sep = i ? "," : "";

		if (nl < sizeof(name))
			nl += (size_t)snprintf(name + nl, sizeof(name) - nl, "%s%s", sep,
					       inst->cra_spawns[i]->cra_name);
		if (dl < sizeof(drv))
			dl += (size_t)snprintf(drv + dl, sizeof(drv) - dl, "%s%s", sep,
					       inst->cra_spawns[i]->cra_driver_name);
	}
	if (i == 0)
		return -EINVAL;
	if (nl + 2 > sizeof(name) || dl + 2 > sizeof(drv))
		return -ENAMETOOLONG;
	memcpy(inst->cra_name, name, nl);
	memcpy(inst->cra_name + nl, ")", 2);
	memcpy(inst->cra_driver_name, drv, dl);
	memcpy(inst->cra_driver_name + dl, ")", 2);
	return 0;
}

/* ---- building instances (crypto_inst_create and its helpers) ---- */

static void inst_destroy(struct crypto_alg *inst)
{
	free(crypto_type_alg(crypto_type_of(inst->cra_type), inst));
}

/* A copy of the prototype, ready to take spawns. */
static struct crypto_alg *inst_new(struct crypto_template *tmpl,
				   const struct crypto_inst_spec *spec,
				   const struct crypto_type *ty)
{
	struct crypto_alg *inst;
	char *mem;

	mem = calloc(1, ty->alg_size);
	if (!mem)
		return NULL;
	memcpy(mem, spec->alg, ty->alg_size);
	inst = (struct crypto_alg *)(void *)(mem + ty->alg_base);
	inst->cra_type = spec->type;
	inst->cra_tmpl = tmpl;
	inst->cra_destroy = inst_destroy;
	return inst;
}

/* Grab the spawns that come from arguments (fixed == false) or the others. */
static int inst_grab(struct crypto_alg *inst, const struct crypto_inst_spec *spec,
		     const char *const *args, bool fixed)
{
	const struct crypto_spawn_spec *s = spec->spawns;
	int i, rc = 0;

	for (i = 0; i < CRYPTO_MAX_SPAWNS && s[i].type && !rc; i++) {
		if (!s[i].name == fixed)
			continue;
		rc = crypto_grab_spawn(inst, i, fixed ? s[i].name : *args++, s[i].type, 0,
				       s[i].mask);
	}
	return rc;
}

static int inst_nargs(const struct crypto_inst_spec *spec)
{
	int i, n = 0;

	for (i = 0; i < CRYPTO_MAX_SPAWNS && spec->spawns[i].type; i++)
		n += !spec->spawns[i].name;
	return n;
}

/* Priority always, module and blocksize unless the prototype fixes them. */
static void inst_inherit(struct crypto_alg *inst, const struct crypto_alg *lead)
{
	inst->cra_priority = lead->cra_priority;
	if (!inst->cra_module[0])
		memcpy(inst->cra_module, lead->cra_module, sizeof(inst->cra_module));
	if (!inst->cra_blocksize)
		inst->cra_blocksize = lead->cra_blocksize;
}

int crypto_inst_create(struct crypto_template *tmpl, const struct crypto_inst_spec *spec,
		       const char *const *args, int nargs)
{
	const struct crypto_type *ty = crypto_type_of(spec->type);
	struct crypto_alg *inst;
	int rc;

	if (!ty || spec->lead < 0 || spec->lead >= CRYPTO_MAX_SPAWNS ||
	    nargs != inst_nargs(spec))
		return -EINVAL;
	inst = inst_new(tmpl, spec, ty);
	if (!inst)
		return -ENOMEM;
	rc = inst_grab(inst, spec, args, false) ?:
	     (spec->check ? spec->check(inst) : 0) ?:
	     crypto_inst_setname(inst, tmpl->name) ?:
	     inst_grab(inst, spec, NULL, true);
	if (rc)
		goto err;
	if (!inst->cra_spawns[spec->lead]) {
		rc = -EINVAL;
		goto err;
	}
	inst_inherit(inst, inst->cra_spawns[spec->lead]);
	rc = (spec->fill ? spec->fill(inst) : 0) ?:
	     crypto_register_instance(tmpl, inst, spec->type);
	if (rc)
		goto err;
	return 0;

err:
	crypto_drop_spawns(inst);
	inst_destroy(inst);
	return rc;
}

int crypto_inst_template_create(struct crypto_template *tmpl, const char *const *args,
				int nargs)
{
	const struct crypto_inst_template *t = (const struct crypto_inst_template *)(const void *)
		((const char *)tmpl - offsetof(struct crypto_inst_template, base));

	return crypto_inst_create(tmpl, t->spec, args, nargs);
}

void crypto_inst_keysizes(const struct crypto_alg *child, uint32_t extra, uint32_t *min,
			  uint32_t *max)
{
	struct crypto_alg_info info;

	/* The listing's figures: a type without keys (rng) gives 0/0. */
	crypto_alg_info(child, &info);
	*min = info.max_keysize ? info.min_keysize + extra : 0;
	*max = info.max_keysize ? info.max_keysize + extra : 0;
}

/* ---- child transforms ---- */

/* Child pointer i of a context laid out as crypto_inst_init_children() says. */
static void *child_slot(struct crypto_tfm *tfm, int i)
{
	return (char *)crypto_tfm_ctx(tfm) + (size_t)i * sizeof(void *);
}

/* The crypto_tfm of child i (the slot holds its typed transform). */
static struct crypto_tfm *child_tfm(struct crypto_tfm *tfm, int i)
{
	const struct crypto_type *ty = crypto_type_of(tfm->alg->cra_spawns[i]->cra_type);
	char *child;

	memcpy(&child, child_slot(tfm, i), sizeof(child));
	return (struct crypto_tfm *)(void *)(child + ty->tfm_base);
}

static void children_free(struct crypto_tfm *tfm, int n)
{
	while (n-- > 0)
		crypto_free_tfm(child_tfm(tfm, n));
}

int crypto_inst_init_children(struct crypto_tfm *tfm)
{
	struct crypto_alg *const *spawns = tfm->alg->cra_spawns;
	int i, rc;

	for (i = 0; i < CRYPTO_MAX_SPAWNS && spawns[i]; i++) {
		void *child;

		rc = crypto_spawn_tfm(&child, spawns[i], spawns[i]->cra_type);
		if (rc) {
			children_free(tfm, i);
			return rc;
		}
		memcpy(child_slot(tfm, i), &child, sizeof(child));
	}
	return 0;
}

void crypto_inst_exit_children(struct crypto_tfm *tfm)
{
	int n = 0;

	while (n < CRYPTO_MAX_SPAWNS && tfm->alg->cra_spawns[n])
		n++;
	children_free(tfm, n);
}

int crypto_inst_init_skcipher(struct crypto_skcipher *tfm)
{
	return crypto_inst_init_children(&tfm->base);
}

void crypto_inst_exit_skcipher(struct crypto_skcipher *tfm)
{
	crypto_inst_exit_children(&tfm->base);
}

int crypto_inst_init_aead(struct crypto_aead *tfm)
{
	return crypto_inst_init_children(&tfm->base);
}

void crypto_inst_exit_aead(struct crypto_aead *tfm)
{
	crypto_inst_exit_children(&tfm->base);
}

int crypto_inst_init_shash(struct crypto_shash *tfm)
{
	return crypto_inst_init_children(&tfm->base);
}

void crypto_inst_exit_shash(struct crypto_shash *tfm)
{
	crypto_inst_exit_children(&tfm->base);
}

int crypto_inst_skcipher_setkey(struct crypto_skcipher *tfm, const uint8_t *key,
				unsigned int keylen)
{
	struct crypto_cipher **child = crypto_skcipher_ctx(tfm);

	return crypto_cipher_setkey(*child, key, keylen);
}

/* ---- template lists ---- */

int crypto_register_templates(struct crypto_template *const *tmpls, int n)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = crypto_register_template(tmpls[i]);
		if (rc) {
			crypto_unregister_templates(tmpls, i);
			return rc;
		}
	}
	return 0;
}

void crypto_unregister_templates(struct crypto_template *const *tmpls, int n)
{
	while (n-- > 0)
		crypto_unregister_template(tmpls[n]);
}
