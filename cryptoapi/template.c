/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Templates: "tmpl(arg[,arg...])" names are split at the top-level commas and
 * handed to the template's create(), which grabs its children (the best
 * tested algorithm for each argument) and registers the instance.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

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
