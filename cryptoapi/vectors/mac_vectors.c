/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer vectors for the keyed digests (hmac, xcbc, cmac) and the NULL
 * algorithms. Negative rows: a wrong key length must fail setkey, and a
 * `wrong` row must not verify.
 */
#include "../testmgr.h"

/* RFC 2202 (HMAC-SHA-1) and RFC 4231 (HMAC-SHA-2), including the truncated
 * outputs and the keys longer than a block. */
static const struct hash_testvec hmac_sha1_tv[] = {
	{ .source = "RFC 2202 section 3 test_case = 1",
	  .key = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  .ptext = "4869205468657265",
	  .digest = "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ .source = "RFC 2202 section 3 test_case = 2",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ .source = "RFC 2202 section 3 test_case = 3",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		   "dddddddddddddddddddddddddddddddddddd",
	  .digest = "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ .source = "RFC 2202 section 3 test_case = 4",
	  .key = "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  .ptext = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		   "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  .digest = "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ .source = "RFC 2202 section 3 test_case = 5",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ .source = "RFC 2202 section 3 test_case = 5 (digest-96)",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "4c1a03424b55e07fe7f27be1" },
	{ .source = "RFC 2202 section 3 test_case = 6",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b6579202d2048617368204b6579204669727374",
	  .digest = "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ .source = "RFC 2202 section 3 test_case = 7",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b657920616e64204c6172676572205468616e204f6e6520426c6f636b2d"
		   "53697a652044617461",
	  .digest = "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	{ .source = "negative: RFC 2202 test_case = 2 with \"nothing!\" for \"nothing?\"",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e6721",
	  .digest = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", .wrong = true },
};

static const struct hash_testvec hmac_sha224_tv[] = {
	{ .source = "RFC 4231 4.2 Test Case 1",
	  .key = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  .ptext = "4869205468657265",
	  .digest = "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22" },
	{ .source = "RFC 4231 4.3 Test Case 2",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44" },
	{ .source = "RFC 4231 4.4 Test Case 3",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		   "dddddddddddddddddddddddddddddddddddd",
	  .digest = "7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea" },
	{ .source = "RFC 4231 4.5 Test Case 4",
	  .key = "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  .ptext = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		   "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  .digest = "6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a" },
	{ .source = "RFC 4231 4.6 Test Case 5 (truncated to 128 bits)",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "0e2aea68a90c8d37c988bcdb9fca6fa8" },
	{ .source = "RFC 4231 4.7 Test Case 6",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b6579202d2048617368204b6579204669727374",
	  .digest = "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e" },
	{ .source = "RFC 4231 4.8 Test Case 7",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "5468697320697320612074657374207573696e672061206c6172676572207468"
		   "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		   "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		   "647320746f20626520686173686564206265666f7265206265696e6720757365"
		   "642062792074686520484d414320616c676f726974686d2e",
	  .digest = "3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1" },
};

static const struct hash_testvec hmac_sha256_tv[] = {
	{ .source = "RFC 4231 4.2 Test Case 1",
	  .key = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  .ptext = "4869205468657265",
	  .digest = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ .source = "RFC 4231 4.3 Test Case 2",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ .source = "RFC 4231 4.4 Test Case 3",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		   "dddddddddddddddddddddddddddddddddddd",
	  .digest = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ .source = "RFC 4231 4.5 Test Case 4",
	  .key = "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  .ptext = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		   "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  .digest = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ .source = "RFC 4231 4.6 Test Case 5 (truncated to 128 bits)",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "a3b6167473100ee06e0c796c2955552b" },
	{ .source = "RFC 4231 4.7 Test Case 6",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b6579202d2048617368204b6579204669727374",
	  .digest = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ .source = "RFC 4231 4.8 Test Case 7",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "5468697320697320612074657374207573696e672061206c6172676572207468"
		   "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		   "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		   "647320746f20626520686173686564206265666f7265206265696e6720757365"
		   "642062792074686520484d414320616c676f726974686d2e",
	  .digest = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	{ .source = "negative: RFC 4231 Test Case 2 under the key \"Jeff\"",
	  .key = "4a656666",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", .wrong = true },
};

static const struct hash_testvec hmac_sha384_tv[] = {
	{ .source = "RFC 4231 4.2 Test Case 1",
	  .key = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  .ptext = "4869205468657265",
	  .digest = "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		    "faea9ea9076ede7f4af152e8b2fa9cb6" },
	{ .source = "RFC 4231 4.3 Test Case 2",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		    "8e2240ca5e69e2c78b3239ecfab21649" },
	{ .source = "RFC 4231 4.4 Test Case 3",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		   "dddddddddddddddddddddddddddddddddddd",
	  .digest = "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
		    "2a5ab39dc13814b94e3ab6e101a34f27" },
	{ .source = "RFC 4231 4.5 Test Case 4",
	  .key = "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  .ptext = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		   "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  .digest = "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
		    "6801dd23c4a7d679ccf8a386c674cffb" },
	{ .source = "RFC 4231 4.6 Test Case 5 (truncated to 128 bits)",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "3abf34c3503b2a23a46efc619baef897" },
	{ .source = "RFC 4231 4.7 Test Case 6",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b6579202d2048617368204b6579204669727374",
	  .digest = "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		    "0c2ef6ab4030fe8296248df163f44952" },
	{ .source = "RFC 4231 4.8 Test Case 7",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "5468697320697320612074657374207573696e672061206c6172676572207468"
		   "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		   "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		   "647320746f20626520686173686564206265666f7265206265696e6720757365"
		   "642062792074686520484d414320616c676f726974686d2e",
	  .digest = "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
		    "a678cc31e799176d3860e6110c46523e" },
};

static const struct hash_testvec hmac_sha512_tv[] = {
	{ .source = "RFC 4231 4.2 Test Case 1",
	  .key = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	  .ptext = "4869205468657265",
	  .digest = "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ .source = "RFC 4231 4.3 Test Case 2",
	  .key = "4a656665",
	  .ptext = "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  .digest = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ .source = "RFC 4231 4.4 Test Case 3",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  .ptext = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		   "dddddddddddddddddddddddddddddddddddd",
	  .digest = "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
		    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ .source = "RFC 4231 4.5 Test Case 4",
	  .key = "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  .ptext = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		   "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	  .digest = "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
		    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	{ .source = "RFC 4231 4.6 Test Case 5 (truncated to 128 bits)",
	  .key = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
	  .ptext = "546573742057697468205472756e636174696f6e",
	  .digest = "415fad6271580a531d4179bc891d87a6" },
	{ .source = "RFC 4231 4.7 Test Case 6",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		   "65204b6579202d2048617368204b6579204669727374",
	  .digest = "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	{ .source = "RFC 4231 4.8 Test Case 7",
	  .key = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa",
	  .ptext = "5468697320697320612074657374207573696e672061206c6172676572207468"
		   "616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074"
		   "68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565"
		   "647320746f20626520686173686564206265666f7265206265696e6720757365"
		   "642062792074686520484d414320616c676f726974686d2e",
	  .digest = "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
		    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

/* SP 800-38B Appendix D (the AES-128 examples are RFC 4493 section 4). */
static const struct hash_testvec cmac_aes_tv[] = {
	{ .source = "SP 800-38B D.1 Example 1 (AES-128, Mlen = 0)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "",
	  .digest = "bb1d6929e95937287fa37d129b756746" },
	{ .source = "SP 800-38B D.1 Example 2 (AES-128, Mlen = 128)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "6bc1bee22e409f96e93d7e117393172a",
	  .digest = "070a16b46b4d4144f79bdd9dd04a287c" },
	{ .source = "SP 800-38B D.1 Example 3 (AES-128, Mlen = 320)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411",
	  .digest = "dfa66747de9ae63030ca32611497c827" },
	{ .source = "SP 800-38B D.1 Example 4 (AES-128, Mlen = 512)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .digest = "51f0bebf7e3b9d92fc49741779363cfe" },
	{ .source = "SP 800-38B D.2 Example 1 (AES-192, Mlen = 0)",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .ptext = "",
	  .digest = "d17ddf46adaacde531cac483de7a9367" },
	{ .source = "SP 800-38B D.2 Example 2 (AES-192, Mlen = 128)",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .ptext = "6bc1bee22e409f96e93d7e117393172a",
	  .digest = "9e99a7bf31e710900662f65e617c5184" },
	{ .source = "SP 800-38B D.2 Example 3 (AES-192, Mlen = 320)",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411",
	  .digest = "8a1de5be2eb31aad089a82e6ee908b0e" },
	{ .source = "SP 800-38B D.2 Example 4 (AES-192, Mlen = 512)",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .digest = "a1d5df0eed790f794d77589659f39a11" },
	{ .source = "SP 800-38B D.3 Example 1 (AES-256, Mlen = 0)",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .ptext = "",
	  .digest = "028962f61b7bf89efc6b551f4667d983" },
	{ .source = "SP 800-38B D.3 Example 2 (AES-256, Mlen = 128)",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .ptext = "6bc1bee22e409f96e93d7e117393172a",
	  .digest = "28a7023f452e8f82bd4bf28d8c37c35c" },
	{ .source = "SP 800-38B D.3 Example 3 (AES-256, Mlen = 320)",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411",
	  .digest = "aaf3d8f1de5640c232f5b169b9c911e6" },
	{ .source = "SP 800-38B D.3 Example 4 (AES-256, Mlen = 512)",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .digest = "e1992190549f6ed5696a2c056c315410" },
	{ .source = "SP 800-38B D.1 Example 2 truncated to 96 bits (RFC 4494 CMAC-96)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "6bc1bee22e409f96e93d7e117393172a",
	  .digest = "070a16b46b4d4144f79bdd9d" },
	{ .source = "negative: SP 800-38B D.1 Example 2 with the first message bit flipped",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .ptext = "ebc1bee22e409f96e93d7e117393172a",
	  .digest = "070a16b46b4d4144f79bdd9dd04a287c", .wrong = true },
	{ .source = "negative: 17-byte AES key",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c00",
	  .ptext = "", .digest = "", .setkey_err = -EINVAL },
	{ .source = "negative: 15-byte AES key",
	  .key = "2b7e151628aed2a6abf7158809cf4f",
	  .ptext = "", .digest = "", .setkey_err = -EINVAL },
};

/* RFC 3566 section 4.6, key 000102...0f; messages are 00 01 02 ... */
static const struct hash_testvec xcbc_aes_tv[] = {
	{ .source = "RFC 3566 4.6 Test Case #1 (empty message)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "",
	  .digest = "75f0251d528ac01c4573dfd584d79f29" },
	{ .source = "RFC 3566 4.6 Test Case #2 (3 bytes)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000102",
	  .digest = "5b376580ae2f19afe7219ceef172756f" },
	{ .source = "RFC 3566 4.6 Test Case #3 (16 bytes)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000102030405060708090a0b0c0d0e0f",
	  .digest = "d2a246fa349b68a79998a4394ff7a263" },
	{ .source = "RFC 3566 4.6 Test Case #4 (20 bytes)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000102030405060708090a0b0c0d0e0f10111213",
	  .digest = "47f51b4564966215b8985c63055ed308" },
	{ .source = "RFC 3566 4.6 Test Case #5 (32 bytes)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .digest = "f54f0ec8d2b9f3d36807734bd5283fd4" },
	{ .source = "RFC 3566 4.6 Test Case #6 (34 bytes)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "2021",
	  .digest = "becbb3bccdb518a30677d5481fb6b4d8" },
	{ .source = "RFC 3566 4.6 Test Case #7 (1000 zero bytes, fed as 10 x 100)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "0000000000000000000000000000000000000000000000000000000000000000"
		   "0000000000000000000000000000000000000000000000000000000000000000"
		   "0000000000000000000000000000000000000000000000000000000000000000"
		   "00000000",
	  .repeat = 10,
	  .digest = "f0dafee895db30253761103b5d84528f" },
	{ .source = "RFC 3566 4.6 Test Case #1 (digest-96, as ESP uses it)",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "",
	  .digest = "75f0251d528ac01c4573dfd5" },
	{ .source = "negative: RFC 3566 4.6 Test Case #2 with the last message byte changed",
	  .key = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "000103",
	  .digest = "5b376580ae2f19afe7219ceef172756f", .wrong = true },
	{ .source = "negative: 15-byte key (RFC 3566 section 4: 128 bits only)",
	  .key = "000102030405060708090a0b0c0d0e",
	  .ptext = "", .digest = "", .setkey_err = -EINVAL },
	{ .source = "negative: 32-byte key (RFC 3566 section 4: 128 bits only)",
	  .key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .ptext = "", .digest = "", .setkey_err = -EINVAL },
};

/* RFC 2410 section 2: NULL encryption leaves the data as it is, and has no key. */
static const struct cipher_testvec cipher_null_tv[] = {
	{ .source = "RFC 2410 section 2 (output equals input)",
	  .key = "",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112",
	  .ctext = "000102030405060708090a0b0c0d0e0f101112" },
	{ .source = "negative: RFC 2410 section 2, NULL takes no key",
	  .key = "00",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

static const struct cipher_testvec ecb_cipher_null_tv[] = {
	{ .source = "RFC 2410 section 2 (output equals input, no IV)",
	  .key = "",
	  .ptext = "4500003c1c4640004006b1e6ac100a63ac100a0c"
		   "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d",
	  .ctext = "4500003c1c4640004006b1e6ac100a63ac100a0c"
		   "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d" },
	{ .source = "RFC 2410 section 2 (empty payload)",
	  .key = "", .ptext = "", .ctext = "" },
	{ .source = "negative: RFC 2410 section 2, NULL takes no key",
	  .key = "0102030405060708",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

/* RFC 4303 section 2.8: without integrity there is no ICV; "digest_null" is empty. */
static const struct hash_testvec digest_null_tv[] = {
	{ .source = "RFC 4303 section 2.8 NULL integrity (empty ICV)",
	  .ptext = "616263", .digest = "" },
	{ .source = "RFC 4303 section 2.8 NULL integrity, empty message",
	  .ptext = "", .digest = "" },
};

static const struct alg_test_desc mac_tests[] = {
	{ .alg = "hmac(sha1)", .vecs = TESTVECS(hash, hmac_sha1_tv) },
	{ .alg = "hmac(sha224)", .vecs = TESTVECS(hash, hmac_sha224_tv) },
	{ .alg = "hmac(sha256)", .vecs = TESTVECS(hash, hmac_sha256_tv) },
	{ .alg = "hmac(sha384)", .vecs = TESTVECS(hash, hmac_sha384_tv) },
	{ .alg = "hmac(sha512)", .vecs = TESTVECS(hash, hmac_sha512_tv) },
	{ .alg = "xcbc(aes)", .vecs = TESTVECS(hash, xcbc_aes_tv) },
	{ .alg = "cmac(aes)", .vecs = TESTVECS(hash, cmac_aes_tv) },
	{ .alg = "cipher_null", .vecs = TESTVECS(cipher, cipher_null_tv) },
	{ .alg = "ecb(cipher_null)", .vecs = TESTVECS(cipher, ecb_cipher_null_tv) },
	{ .alg = "digest_null", .vecs = TESTVECS(hash, digest_null_tv) },
};

static int mac_vectors_init(void)
{
	return crypto_register_tests(mac_tests, sizeof(mac_tests) / sizeof(mac_tests[0]));
}

static void mac_vectors_exit(void)
{
	crypto_unregister_tests(mac_tests);
}

CRYPTO_MODULE(mac_vectors, CRYPTO_MODULE_VECTORS, mac_vectors_init, mac_vectors_exit)
