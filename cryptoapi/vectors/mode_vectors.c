/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer vectors for cbc(aes), ctr(aes) and rfc3686(ctr(aes)).
 * iv_out is the chaining value the mode must leave in the request IV.
 */
#include "../testmgr.h"

/* RFC 3602 4 (cases 1-4) and NIST SP 800-38A F.2 */
static const struct cipher_testvec cbc_aes_tv[] = {
	{ .source = "RFC 3602 4 Case #1",
	  .key = "06a9214036b8a15b512e03d534120006",
	  .iv = "3dafba429d9eb430b422da802c9fac41",
	  .iv_out = "e353779c1079aeb82708942dbe77181a",
	  .ptext = "53696e676c6520626c6f636b206d7367",
	  .ctext = "e353779c1079aeb82708942dbe77181a" },
	{ .source = "RFC 3602 4 Case #2",
	  .key = "c286696d887c9aa0611bbb3e2025a45a",
	  .iv = "562e17996d093d28ddb3ba695a2e6f58",
	  .iv_out = "7586602d253cfff91b8266bea6d61ab1",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .ctext = "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
	{ .source = "RFC 3602 4 Case #3",
	  .key = "6c3ea0477630ce21a2ce334aa746c2cd",
	  .iv = "c782dc4c098c66cbd9cd27d825682c81",
	  .iv_out = "021c19216bad525c8579695d83ba2684",
	  .ptext = "5468697320697320612034382d62797465206d65737361676520286578616374"
		   "6c7920332041455320626c6f636b7329",
	  .ctext = "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
		   "021c19216bad525c8579695d83ba2684" },
	{ .source = "RFC 3602 4 Case #4",
	  .key = "56e47a38c5598974bc46903dba290349",
	  .iv = "8ce82eefbea0da3c44699ed7db51b7d9",
	  .iv_out = "83ce9f9a102ee99d49a53e87f4c3da55",
	  .ptext = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		   "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
	  .ctext = "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e"
		   "35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55" },
	{ .source = "NIST SP 800-38A F.2.1 CBC-AES128.Encrypt (F.2.2: decrypt)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .iv = "000102030405060708090a0b0c0d0e0f",
	  .iv_out = "3ff1caa1681fac09120eca307586e1a7",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		   "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7" },
	{ .source = "NIST SP 800-38A F.2.3 CBC-AES192.Encrypt (F.2.4: decrypt)",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .iv = "000102030405060708090a0b0c0d0e0f",
	  .iv_out = "08b0e27988598881d920a9e64f5615cd",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
		   "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd" },
	{ .source = "NIST SP 800-38A F.2.5 CBC-AES256.Encrypt (F.2.6: decrypt)",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .iv = "000102030405060708090a0b0c0d0e0f",
	  .iv_out = "b2eb05e2c39be9fcda6c19078c6a9d1b",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		   "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
	{ .source = "negative: 15-byte AES key",
	  .key = "06a9214036b8a15b512e03d5341200",
	  .iv = "3dafba429d9eb430b422da802c9fac41",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
	{ .source = "negative: 33-byte AES key",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff400",
	  .iv = "000102030405060708090a0b0c0d0e0f",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

/* NIST SP 800-38A F.5 and RFC 3686 6 counter blocks used whole */
static const struct cipher_testvec ctr_aes_tv[] = {
	{ .source = "NIST SP 800-38A F.5.1 CTR-AES128.Encrypt",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .iv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  .iv_out = "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
		   "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee" },
	{ .source = "NIST SP 800-38A F.5.3 CTR-AES192.Encrypt",
	  .key = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
	  .iv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  .iv_out = "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
		   "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050" },
	{ .source = "NIST SP 800-38A F.5.5 CTR-AES256.Encrypt",
	  .key = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
	  .iv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  .iv_out = "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
		   "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
	{ .source = "RFC 3686 6 Test Vector #3 as a whole counter block (36 bytes, partial last block)",
	  .key = "7691be035e5020a8ac6e618529f9a0dc",
	  .iv = "00e0017b27777f3f4a1786f000000001",
	  .iv_out = "00e0017b27777f3f4a1786f000000004",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef31053"
		   "25b2072f" },
	{ .source = "RFC 3686 6 Test Vector #6 as a whole counter block (36 bytes, partial last block)",
	  .key = "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe",
	  .iv = "0007bdfd5cbd60278dcc091200000001",
	  .iv_out = "0007bdfd5cbd60278dcc091200000004",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "96893fc55e5c722f540b7dd1ddf7e758d288bc95c69165884536c811662f2188"
		   "abee0935" },
	{ .source = "RFC 3686 6 Test Vector #9 as a whole counter block (36 bytes, partial last block)",
	  .key = "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d",
	  .iv = "001cc5b751a51d70a1c1114800000001",
	  .iv_out = "001cc5b751a51d70a1c1114800000004",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f"
		   "1ec0e6b8" },
	{ .source = "derived: SP 800-38A F.5.1 key/plaintext, counter ff..ff wrapping to 0 (computed with python3-cryptography 38)",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c",
	  .iv = "ffffffffffffffffffffffffffffffff",
	  .iv_out = "00000000000000000000000000000003",
	  .ptext = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
		   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	  .ctext = "e13338e36cb71962e00d020b4cedbd86d3dae15b04bb352fa0f59febfcb4da3e"
		   "67da610697ed5aae4b0fa7a0dd783d2961a00ab697367915d23c754bd99e2899" },
	{ .source = "negative: 20-byte AES key",
	  .key = "2b7e151628aed2a6abf7158809cf4f3c01020304",
	  .iv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

/* RFC 3686 6: key = AES key || nonce, IV = the 8-byte per-packet IV */
static const struct cipher_testvec rfc3686_ctr_aes_tv[] = {
	{ .source = "RFC 3686 6 Test Vector #1",
	  .key = "ae6852f8121067cc4bf7a5765577f39e00000030",
	  .iv = "0000000000000000",
	  .ptext = "53696e676c6520626c6f636b206d7367",
	  .ctext = "e4095d4fb7a7b3792d6175a3261311b8" },
	{ .source = "RFC 3686 6 Test Vector #2",
	  .key = "7e24067817fae0d743d6ce1f32539163006cb6db",
	  .iv = "c0543b59da48d90b",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .ctext = "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28" },
	{ .source = "RFC 3686 6 Test Vector #3",
	  .key = "7691be035e5020a8ac6e618529f9a0dc00e0017b",
	  .iv = "27777f3f4a1786f0",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef31053"
		   "25b2072f" },
	{ .source = "RFC 3686 6 Test Vector #4",
	  .key = "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb7851500000048",
	  .iv = "36733c147d6d93cb",
	  .ptext = "53696e676c6520626c6f636b206d7367",
	  .ctext = "4b55384fe259c9c84e7935a003cbe928" },
	{ .source = "RFC 3686 6 Test Vector #5",
	  .key = "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a0096b03b",
	  .iv = "020c6eadc2cb500d",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .ctext = "453243fc609b23327edfaafa7131cd9f8490701c5ad4a79cfc1fe0ff42f4fb00" },
	{ .source = "RFC 3686 6 Test Vector #6",
	  .key = "02bf391ee8ecb159b959617b0965279bf59b60a786d3e0fe0007bdfd",
	  .iv = "5cbd60278dcc0912",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "96893fc55e5c722f540b7dd1ddf7e758d288bc95c69165884536c811662f2188"
		   "abee0935" },
	{ .source = "RFC 3686 6 Test Vector #7",
	  .key = "776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104"
		 "00000060",
	  .iv = "db5672c97aa8f0b2",
	  .ptext = "53696e676c6520626c6f636b206d7367",
	  .ctext = "145ad01dbf824ec7560863dc71e3e0c0" },
	{ .source = "RFC 3686 6 Test Vector #8",
	  .key = "f6d66d6bd52d59bb0796365879eff886c66dd51a5b6a99744b50590c87a23884"
		 "00faac24",
	  .iv = "c1585ef15a43d875",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	  .ctext = "f05e231b3894612c49ee000b804eb2a9b8306b508f839d6a5530831d9344af1c" },
	{ .source = "RFC 3686 6 Test Vector #9",
	  .key = "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d"
		 "001cc5b7",
	  .iv = "51a51d70a1c11148",
	  .ptext = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		   "20212223",
	  .ctext = "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f"
		   "1ec0e6b8" },
	{ .source = "negative: key shorter than the 4-byte nonce",
	  .key = "000030",
	  .iv = "0000000000000000",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
	{ .source = "negative: RFC 3686 Test Vector #1 key without its nonce (16 bytes = 12-byte AES key + nonce)",
	  .key = "ae6852f8121067cc4bf7a5765577f39e",
	  .iv = "0000000000000000",
	  .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

static const struct alg_test_desc mode_tests[] = {
	{ .alg = "cbc(aes)", .vecs = TESTVECS(cipher, cbc_aes_tv) },
	{ .alg = "ctr(aes)", .vecs = TESTVECS(cipher, ctr_aes_tv) },
	{ .alg = "rfc3686(ctr(aes))", .vecs = TESTVECS(cipher, rfc3686_ctr_aes_tv) },
};

static int mode_vectors_init(void)
{
	return crypto_register_tests(mode_tests, sizeof(mode_tests) / sizeof(mode_tests[0]));
}

static void mode_vectors_exit(void)
{
	crypto_unregister_tests(mode_tests);
}

CRYPTO_MODULE(mode_vectors, CRYPTO_MODULE_VECTORS, mode_vectors_init, mode_vectors_exit)
