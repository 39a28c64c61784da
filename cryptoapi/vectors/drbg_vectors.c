/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known answers for HMAC_DRBG with SHA-256 (the "stdrng" generators), from
 * NIST CAVP drbgvectors_no_reseed, file HMAC_DRBG.rsp, section [SHA-256]
 * [PredictionResistance = False] [EntropyInputLen = 256] [NonceLen = 128]
 * [ReturnedBitsLen = 1024]. Each row: instantiate with
 * EntropyInput || Nonce || PersonalizationString, generate 1024 bits with the
 * first AdditionalInput (discarded), generate 1024 bits with the second one;
 * the second output is ReturnedBits.
 */
#include "../testmgr.h"

static const struct rng_testvec drbg_hmac_sha256_tv[] = {
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 0] [AdditionalInputLen = 0] COUNT = 0",
	  .entropy = "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488",
	  .nonce = "659ba96c601dc69fc902940805ec0ca8",
	  .pers = "",
	  .add_a = "",
	  .add_b = "",
	  .output = "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89"
		    "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1"
		    "07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668"
		    "961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8" },
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 0] [AdditionalInputLen = 0] COUNT = 1",
	  .entropy = "79737479ba4e7642a221fcfd1b820b134e9e3540a35bb48ffae29c20f5418ea3",
	  .nonce = "3593259c092bef4129bc2c6c9e19f343",
	  .pers = "",
	  .add_a = "",
	  .add_b = "",
	  .output = "cf5ad5984f9e43917aa9087380dac46e410ddc8a7731859c84e9d0f31bd43655"
		    "b924159413e2293b17610f211e09f770f172b8fb693a35b85d3b9e5e63b1dc25"
		    "2ac0e115002e9bedfb4b5b6fd43f33b8e0eafb2d072e1a6fee1f159df9b51e6c"
		    "8da737e60d5032dd30544ec51558c6f080bdbdab1de8a939e961e06b5f1aca37" },
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 0] [AdditionalInputLen = 256] COUNT = 0",
	  .entropy = "d3cc4d1acf3dde0c4bd2290d262337042dc632948223d3a2eaab87da44295fbd",
	  .nonce = "0109b0e729f457328aa18569a9224921",
	  .pers = "",
	  .add_a = "3c311848183c9a212a26f27f8c6647e40375e466a0857cc39c4e47575d53f1f6",
	  .add_b = "fcb9abd19ccfbccef88c9c39bfb3dd7b1c12266c9808992e305bc3cff566e4e4",
	  .output = "9c7b758b212cd0fcecd5daa489821712e3cdea4467b560ef5ddc24ab47749a1f"
		    "1ffdbbb118f4e62fcfca3371b8fbfc5b0646b83e06bfbbab5fac30ea09ea2bc7"
		    "6f1ea568c9be0444b2cc90517b20ca825f2d0eccd88e7175538b85d90ab39018"
		    "3ca6395535d34473af6b5a5b88f5a59ee7561573337ea819da0dcc3573a22974" },
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 256] [AdditionalInputLen = 0] COUNT = 0",
	  .entropy = "5cacc68165a2e2ee20812f35ec73a79dbf30fd475476ac0c44fc6174cdac2b55",
	  .nonce = "6f885496c1e63af620becd9e71ecb824",
	  .pers = "e72dd8590d4ed5295515c35ed6199e9d211b8f069b3058caa6670b96ef1208d0",
	  .add_a = "",
	  .add_b = "",
	  .output = "f1012cf543f94533df27fedfbf58e5b79a3dc517a9c402bdbfc9a0c0f721f9d5"
		    "3faf4aafdc4b8f7a1b580fcaa52338d4bd95f58966a243cdcd3f446ed4bc546d"
		    "9f607b190dd69954450d16cd0e2d6437067d8b44d19a6af7a7cfa8794e5fbd72"
		    "8e8fb2f2e8db5dd4ff1aa275f35886098e80ff844886060da8b1e7137846b23b" },
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 256] [AdditionalInputLen = 256] COUNT = 0",
	  .entropy = "5d3286bc53a258a53ba781e2c4dcd79a790e43bbe0e89fb3eed39086be34174b",
	  .nonce = "c5422294b7318952ace7055ab7570abf",
	  .pers = "2dba094d008e150d51c4135bb2f03dcde9cbf3468a12908a1b025c120c985b9d",
	  .add_a = "793a7ef8f6f0482beac542bb785c10f8b7b406a4de92667ab168ecc2cf7573c6",
	  .add_b = "2238cdb4e23d629fe0c2a83dd8d5144ce1a6229ef41dabe2a99ff722e510b530",
	  .output = "d04678198ae7e1aeb435b45291458ffde0891560748b43330eaf866b5a6385e7"
		    "4c6fa5a5a44bdb284d436e98d244018d6acedcdfa2e9f499d8089e4db86ae89a"
		    "6ab2d19cb705e2f048f97fb597f04106a1fa6a1416ad3d859118e079a0c319eb"
		    "95686f4cbcce3b5101c7a0b010ef029c4ef6d06cdfac97efb9773891688c37cf" },
	{ .source = "NIST CAVP drbgvectors_no_reseed HMAC_DRBG.rsp [SHA-256] "
		    "[PersonalizationStringLen = 256] [AdditionalInputLen = 256] COUNT = 1",
	  .entropy = "c2a566a9a1817b15c5c3b778177ac87c24e797be0a845f11c2fe399dd37732f2",
	  .nonce = "cb1894eb2b97b3c56e628329516f86ec",
	  .pers = "13ce4d8dd2db9796f94156c8e8f0769b0aa1c82c1323b61536603bca37c9ee29",
	  .add_a = "413dd83fe56835abd478cb9693d67635901c40239a266462d3133b83e49c820b",
	  .add_b = "d5c4a71f9d6d95a1bedf0bd2247c277d1f84a4e57a4a8825b82a2d097de63ef1",
	  .output = "b3a3698d777699a0dd9fa3f0a9fa57832d3cefac5df24437c6d73a0fe41040f1"
		    "729038aef1e926352ea59de120bfb7b073183a34106efed6278ff8ad844ba044"
		    "8115dfddf3319a82de6bb11d80bd871a9acd35c73645e1270fb9fe4fa88ec0e4"
		    "65409ea0cba809fe2f45e04943a2e396bbb7dd2f4e0795303524cc9cc5ea54a1" },
};

/* By generic name: every "stdrng" driver without a test of its own. */
static const struct alg_test_desc drbg_tests[] = {
	{ .alg = "stdrng", .vecs = TESTVECS(rng, drbg_hmac_sha256_tv) },
};

static int drbg_vectors_init(void)
{
	return crypto_register_tests(drbg_tests, sizeof(drbg_tests) / sizeof(drbg_tests[0]));
}

static void drbg_vectors_exit(void)
{
	crypto_unregister_tests(drbg_tests);
}

CRYPTO_MODULE(drbg_vectors, CRYPTO_MODULE_VECTORS, drbg_vectors_init, drbg_vectors_exit)
