/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer vectors for ghash, gcm(aes), rfc4106(gcm(aes)) and
 * rfc4543(gcm(aes)). ctext is the ciphertext followed by the ICV. For the
 * ESP forms the associated data ends with the 8-byte IV, as ESP lays it out.
 * The test manager also replays every row with a corrupted ICV and through
 * chained and out-of-place layouts.
 */
#include "../testmgr.h"

/*
 * GHASH rows derived from the GCM spec (McGrew/Viega, revised): key = the
 * H it prints, input = the GHASH input it defines, digest = the GHASH(H, A, C)
 * it prints.
 */
static const struct hash_testvec ghash_tv[] = {
	{ .source = "GCM spec (McGrew/Viega) Test Case 1: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "66e94bd4ef8a2c3b884cfa59ca342b2e",
	  .ptext = "00000000000000000000000000000000",
	  .digest = "00000000000000000000000000000000" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 2: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "66e94bd4ef8a2c3b884cfa59ca342b2e",
	  .ptext = "0388dace60b6a392f328c2b971b2fe7800000000000000000000000000000080",
	  .digest = "f38cbb1ad69223dcc3457ae5b6b0f885" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 3: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "b83b533708bf535d0aa6e52980d53b78",
	  .ptext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
		   "00000000000000000000000000000200",
	  .digest = "7f1b32b81b820d02614f8895ac1d4eac" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 4: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "b83b533708bf535d0aa6e52980d53b78",
	  .ptext = "feedfacedeadbeeffeedfacedeadbeefabaddad2000000000000000000000000"
		   "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e09100000000"
		   "00000000000000a000000000000001e0",
	  .digest = "698e57f70e6ecc7fd9463b7260a9ae5f" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 13: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "dc95c078a2408989ad48a21492842087",
	  .ptext = "00000000000000000000000000000000",
	  .digest = "00000000000000000000000000000000" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 14: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "dc95c078a2408989ad48a21492842087",
	  .ptext = "cea7403d4d606b6e074ec5d3baf39d1800000000000000000000000000000080",
	  .digest = "83de425c5edc5d498f382c441041ca92" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 15: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "acbef20579b4b8ebce889bac8732dad7",
	  .ptext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
		   "00000000000000000000000000000200",
	  .digest = "4db870d37cb75fcb46097c36230d1612" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 16: H, GHASH(H, A, C) over A||0*||C||0*||len(A)||len(C)",
	  .key = "acbef20579b4b8ebce889bac8732dad7",
	  .ptext = "feedfacedeadbeeffeedfacedeadbeefabaddad2000000000000000000000000"
		   "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66200000000"
		   "00000000000000a000000000000001e0",
	  .digest = "8bd0c4d8aacd391e67cca447e8c38f65" },
	{ .source = "negative: 15-byte GHASH key",
	  .key = "66e94bd4ef8a2c3b884cfa59ca342b",
	  .ptext = "", .digest = "", .setkey_err = -EINVAL },
};

/* GCM spec (McGrew/Viega) test cases with 96-bit IVs: 1-4, 7-10, 13-16 */
static const struct aead_testvec gcm_aes_tv[] = {
	{ .source = "GCM spec (McGrew/Viega) Test Case 1",
	  .key = "00000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "",
	  .ctext = "58e2fccefa7e3061367f1d57a4e7455a" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 2",
	  .key = "00000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "00000000000000000000000000000000",
	  .ctext = "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 3",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
		   "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 4",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc"
		   "3221a5db94fae95ae7121a47" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 7",
	  .key = "000000000000000000000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "",
	  .ctext = "cd33b28ac773f74ba00ed1f312572435" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 8",
	  .key = "000000000000000000000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "00000000000000000000000000000000",
	  .ctext = "98e7247c07f0fe411c267e4384b0f6002ff58d80033927ab8ef4d4587514f0fb" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 9",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731c",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  .ctext = "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
		   "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256"
		   "9924a7c8587336bfb118024db8674a14" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 10",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731c",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
		   "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda27102519498e"
		   "80f1478f37ba55bd6d27618c" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 13",
	  .key = "0000000000000000000000000000000000000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "",
	  .ctext = "530f8afbc74536b9a963b4f1c4cb738b" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 14",
	  .key = "0000000000000000000000000000000000000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "",
	  .ptext = "00000000000000000000000000000000",
	  .ctext = "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 15",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  .ctext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
		   "b094dac5d93471bdec1a502270e3cc6c" },
	{ .source = "GCM spec (McGrew/Viega) Test Case 16",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece"
		   "0f4e1768cddf8853bb2d551b" },
	{ .source = "GCM spec Test Case 4, tag truncated to 12 bytes (SP 800-38D 5.2.1.2, MSB_t)",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc"
		   "3221a5db94fae95a",
	  .authsize = 12 },
	{ .source = "GCM spec Test Case 4, tag truncated to 8 bytes (SP 800-38D 5.2.1.2, MSB_t)",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc"
		   "3221a5db",
	  .authsize = 8 },
	{ .source = "GCM spec Test Case 3, tag truncated to 4 bytes (SP 800-38D 5.2.1.2, MSB_t)",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
		   "4d5c2af3",
	  .authsize = 4 },
	{ .source = "GCM spec Test Case 16, tag truncated to 13 bytes (SP 800-38D 5.2.1.2, MSB_t)",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		   "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  .ctext = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		   "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece"
		   "0f4e1768cddf8853bb",
	  .authsize = 13 },
	{ .source = "negative: GCM spec Test Case 4 with the first tag bit flipped",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  .ptext = "",
	  .ctext = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091dbc94fbc"
		   "3221a5db94fae95ae7121a47",
	  .decrypt_err = -EBADMSG },
	{ .source = "negative: GCM spec Test Case 3 with a ciphertext bit flipped",
	  .key = "feffe9928665731c6d6a8f9467308308",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "",
	  .ptext = "",
	  .ctext = "42831ec2217674244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		   "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"
		   "4d5c2af327cd64a62cf35abd2ba6fab4",
	  .decrypt_err = -EBADMSG },
	{ .source = "negative: 5-byte tag (SP 800-38D 5.2.1.2 allows 4, 8, 12..16)",
	  .key = "00000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 5, .setauthsize_err = -EINVAL },
	{ .source = "negative: 10-byte tag",
	  .key = "00000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 10, .setauthsize_err = -EINVAL },
	{ .source = "negative: 17-byte tag (over the maximum)",
	  .key = "00000000000000000000000000000000",
	  .iv = "000000000000000000000000",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 17, .setauthsize_err = -EINVAL },
	{ .source = "negative: 20-byte AES key",
	  .key = "feffe9928665731c6d6a8f946730830801020304",
	  .iv = "cafebabefacedbaddecaf888",
	  .assoc = "", .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

/* draft-mcgrew-gcm-test-01 4: key || salt, IV, AAD = SPI || [ESN high] || seq || IV */
static const struct aead_testvec rfc4106_gcm_aes_tv[] = {
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 1 (128-bit key, ESN)",
	  .key = "4c80cdefbb5d10da906ac73c3613a6342e443b68",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "0000432187654321000000004956ed7e3b244cfe",
	  .ptext = "45000048699a000080114db7c0a80102c0a801010a9bf15638d3010000010000"
		   "00000000045f736970045f756470037369700963796265726369747902646b00"
		   "0021000101020201",
	  .ctext = "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34"
		   "cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce"
		   "61bc17d768fd9732459018148f6cbe722fd04796562dfdb4" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 2 (128-bit key)",
	  .key = "feffe9928665731c6d6a8f9467308308cafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "0000a5f80000000afacedbaddecaf888",
	  .ptext = "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		   "0001000000000000037369700963796265726369747902646b00000100010001",
	  .ctext = "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c"
		   "3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
		   "83b70d3aa8bc6ee4c309e9d85a41ad4a" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 3 (256-bit key)",
	  .key = "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		 "11223344",
	  .iv = "0102030405060708",
	  .assoc = "4a2cbfe3000000020102030405060708",
	  .ptext = "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
		   "7002400020bf0000020405b40101040201020201",
	  .ctext = "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
		   "748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c49"
		   "15956c96" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 4 (128-bit key)",
	  .key = "0000000000000000000000000000000000000000",
	  .iv = "0000000000000000",
	  .assoc = "00000000000000010000000000000000",
	  .ptext = "4500003c99c500008001cb7a40679318010101010800075c0200440061626364"
		   "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
	  .ctext = "4688daf2f973a392732909c331d56d60f694abaa414b5e7ff5fdcdfff5e9a284"
		   "456476492719ffb64de7d9dca1e1d894bc3bd57873ed4d181d19d4d5c8c18af3"
		   "f821d496eeb096e98ad2b69e4799c71d" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 5 (128-bit key, ESN)",
	  .key = "3de09874b388e6491988d0c3607eae1f57690e43",
	  .iv = "4e280000a2fca1a3",
	  .assoc = "42f67e3f10101010101010104e280000a2fca1a3",
	  .ptext = "4500003c99c300008001cb7c40679318010101010800085c0200430061626364"
		   "65666768696a6b6c6d6e6f707172737475767761626364656667686901020201",
	  .ctext = "fba2caa4853cf9f0f22cb10d86dd83b0fec75691cf1a04b00d1138ec9c357917"
		   "65acbd8701ad79845bf9fe3fba487bc91755e6662b4c8d0d1f5e22739530320a"
		   "e0d731cc978ecafaeae88f00e80d6e48" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 6 (128-bit key, ESN)",
	  .key = "3de09874b388e6491988d0c3607eae1f57690e43",
	  .iv = "4e280000a2fca1a3",
	  .assoc = "42f67e3f10101010101010104e280000a2fca1a3",
	  .ptext = "4500001c42a200008001441f406793b6e00000020a00f5ff01020201",
	  .ctext = "fba2ca845e5df9f0f22c3e6e86dd831e1fc65792cd1af9130e1379ed369f071f"
		   "35e034be95f112e4e7d05d35" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 7 (192-bit key)",
	  .key = "feffe9928665731c6d6a8f9467308308feffe9928665731ccafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "0000a5f80000000afacedbaddecaf888",
	  .ptext = "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e"
		   "501016d075680001",
	  .ctext = "a5b1f8066029aea40e598b8122de02420938b3ab33f828e687b8858b5bfbdbd0"
		   "315b27452144cc7795457b9652037f5318027b5b4cd7a636" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 8 (128-bit key, ESN)",
	  .key = "abbccddef00112233445566778899aabdecaf888",
	  .iv = "cafedebaceface74",
	  .assoc = "000001000000000000000001cafedebaceface74",
	  .ptext = "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
		   "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
		   "9b6266c04722b14923010101",
	  .ctext = "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f"
		   "9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c22"
		   "6f2127b27db35724e7845d68651f57e65f354f75ff17015769623436" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 9 (256-bit key, ESN)",
	  .key = "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		 "73616c74",
	  .iv = "616e640169766563",
	  .assoc = "17405e67156f3126dd0db99b616e640169766563",
	  .ptext = "45080028732c00004006e9f90a0106120a01038f06b88023dd6bafbecb712602"
		   "50101f646d540001",
	  .ctext = "f2d69ecdbd5a0d5b8d5ef38bad4da58d1f278fde98ef67549d524a3018d9a57f"
		   "f4d3a31ce673119e451626c2415771e3b7eebca614c89b35" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 10 (128-bit key, ESN)",
	  .key = "3de09874b388e6491988d0c3607eae1f57690e43",
	  .iv = "4e280000a2fca1a3",
	  .assoc = "42f67e3f10101010101010104e280000a2fca1a3",
	  .ptext = "45000049333e00007f119182c3fb1d10c2b1d326c02831ce0035cb458003025b"
		   "000001e0001e8c18d65759d52284a0352c71475c8880391c764d6e5ee0496b32"
		   "5ae270c03899493915010101",
	  .ctext = "fba2cad12fc1f9f00d3cebf305410db83d7784b607323d220f24b0a97d541828"
		   "00cadb0f68d99ef0e0c0c89ae9bea8884e52d65bc1afd0740f742444747b5b39"
		   "ab533163aad4550ee5160975cdb608c5769189609763b8e18caa81e2" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 11 (256-bit key, ESN)",
	  .key = "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		 "73616c74",
	  .iv = "616e640169766563",
	  .assoc = "17405e67156f3126dd0db99b616e640169766563",
	  .ptext = "636973636f0172756c657301746865016e6574776501646566696e6501746865"
		   "746563686e6f6c6f67696573017468617477696c6c01646566696e65746f6d6f"
		   "72726f7701020201",
	  .ctext = "d4b7ed86a1777f2ea13d6973d324c69e7b43f826fb56831226508bebd2dceb18"
		   "d0a6df10e5487df074113e14c641024e3e6773d91a62ee429b043a10e3efe6b0"
		   "12a49363412364f8c0cac587f249e56b11e24f30e44ccc76" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 12 (128-bit key)",
	  .key = "7d773d00c144c525ac619d18c84a3f47d9664267",
	  .iv = "43457e9182443bc6",
	  .assoc = "335467aeffffffff43457e9182443bc6",
	  .ptext = "01020201",
	  .ctext = "437f866bcb3f699fe9b0822bac961c4504bef270" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 13 (128-bit key, ESN)",
	  .key = "abbccddef00112233445566778899aabdecaf888",
	  .iv = "cafedebaceface74",
	  .assoc = "000001000000000000000001cafedebaceface74",
	  .ptext = "746f016265016f72016e6f7401746f0162650001",
	  .ctext = "29c9fc69a197d038ccdd14e2ddfcaa0543332164412503524303ed3c6c5f2838"
		   "43af8c3e" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 14 (256-bit key, ESN)",
	  .key = "6c6567616c697a656d6172696a75616e61616e64646f69746265666f72656961"
		 "7475726e",
	  .iv = "333021696765746d",
	  .assoc = "796b6963ffffffffffffffff333021696765746d",
	  .ptext = "45000030da3a00008001df3bc0a80005c0a800010800c6cd0200070061626364"
		   "65666768696a6b6c6d6e6f707172737401020201",
	  .ctext = "f97ab2aa356d8edce17644ac8c78e25dd24dedbb29ebf1b64a274b39b49c3a86"
		   "4cd3d78ca4ae68a32b42458fb57dbe821dcc63b9d0937ba2945f669368661a32"
		   "9fb4c053" },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 2, ICV truncated to 8 bytes (RFC 4106 8)",
	  .key = "feffe9928665731c6d6a8f9467308308cafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "0000a5f80000000afacedbaddecaf888",
	  .ptext = "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		   "0001000000000000037369700963796265726369747902646b00000100010001",
	  .ctext = "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c"
		   "3de81827c10e9a4f51330d0eec416642cfbb85a5b47e48a4ec3b9ba95d918bd1"
		   "83b70d3aa8bc6ee4",
	  .authsize = 8 },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 3, ICV truncated to 12 bytes (RFC 4106 8)",
	  .key = "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		 "11223344",
	  .iv = "0102030405060708",
	  .assoc = "4a2cbfe3000000020102030405060708",
	  .ptext = "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
		   "7002400020bf0000020405b40101040201020201",
	  .ctext = "ff425c9b724599df7a3bcd510194e00d6a78107f1b0b1cbf06efae9d65a5d763"
		   "748a637985771d347f0545659f14e99def842d8eb335f4eecfdbf831824b4c49",
	  .authsize = 12 },
	{ .source = "draft-mcgrew-gcm-test-01 4 packet 8, ICV truncated to 8 bytes (RFC 4106 8)",
	  .key = "abbccddef00112233445566778899aabdecaf888",
	  .iv = "cafedebaceface74",
	  .assoc = "000001000000000000000001cafedebaceface74",
	  .ptext = "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
		   "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
		   "9b6266c04722b14923010101",
	  .ctext = "18a6fd42f72cbf4ab2a2ea901f73d814e3e7f243d95412e1c349c1d2fbec168f"
		   "9190feebaf2cb01984e65863965d7472b79da345e0e780191f0d2f0e0f496c22"
		   "6f2127b27db35724e7845d68651f57e65f354f75",
	  .authsize = 8 },
	{ .source = "negative: draft-mcgrew-gcm-test-01 4 packet 1 with the last ICV bit flipped",
	  .key = "4c80cdefbb5d10da906ac73c3613a6342e443b68",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "0000432187654321000000004956ed7e3b244cfe",
	  .ptext = "",
	  .ctext = "fecf537e729d5b07dc30df528dd22b768d1b98736696a6fd348509fa13ceac34"
		   "cfa2436f14a3f3cf65925bf1f4a13c5d15b21e1884f5ff6247aeabb786b93bce"
		   "61bc17d768fd9732459018148f6cbe722fd04796562dfdb5",
	  .decrypt_err = -EBADMSG },
	{ .source = "negative: 4-byte ICV (RFC 4106 8 allows 8, 12, 16)",
	  .key = "4c80cdefbb5d10da906ac73c3613a6342e443b68",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 4, .setauthsize_err = -EINVAL },
	{ .source = "negative: 13-byte ICV",
	  .key = "4c80cdefbb5d10da906ac73c3613a6342e443b68",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 13, .setauthsize_err = -EINVAL },
	{ .source = "negative: 19-byte key (AES key + salt must be 20, 28 or 36)",
	  .key = "4c80cdefbb5d10da906ac73c3613a6342e443b",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "", .ptext = "", .ctext = "", .setkey_err = -EINVAL },
	{ .source = "negative: 3-byte key (shorter than the salt)",
	  .key = "2e443b",
	  .iv = "4956ed7e3b244cfe",
	  .assoc = "", .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

/*
 * No public ESP-GMAC packet vector exists; these rows put the inputs of
 * draft-mcgrew-gcm-test-01 packets into the RFC 4543 layout (the payload is
 * authenticated and copied, not encrypted) and name how the ICV was computed.
 */
static const struct aead_testvec rfc4543_gcm_aes_tv[] = {
	{ .source = "derived: draft-mcgrew-gcm-test-01 4 packet 2 inputs in the RFC 4543 layout (AAD = SPI||seq||IV||payload, empty text), tag by python3-cryptography 38 AESGCM",
	  .key = "feffe9928665731c6d6a8f9467308308cafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "0000a5f80000000afacedbaddecaf888",
	  .ptext = "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		   "0001000000000000037369700963796265726369747902646b00000100010001",
	  .ctext = "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		   "0001000000000000037369700963796265726369747902646b00000100010001"
		   "6d4ae638829f7397045f7c6c65ead02d" },
	{ .source = "derived: draft-mcgrew-gcm-test-01 4 packet 3 inputs in the RFC 4543 layout (AAD = SPI||seq||IV||payload, empty text), tag by python3-cryptography 38 AESGCM",
	  .key = "abbccddef00112233445566778899aababbccddef00112233445566778899aab"
		 "11223344",
	  .iv = "0102030405060708",
	  .assoc = "4a2cbfe3000000020102030405060708",
	  .ptext = "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
		   "7002400020bf0000020405b40101040201020201",
	  .ctext = "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
		   "7002400020bf0000020405b40101040201020201f5b4a102b6efd56dd384715d"
		   "831dee60" },
	{ .source = "derived: draft-mcgrew-gcm-test-01 4 packet 8 inputs in the RFC 4543 layout (AAD = SPI||ESN-high||seq||IV||payload, empty text), tag by python3-cryptography 38 AESGCM",
	  .key = "abbccddef00112233445566778899aabdecaf888",
	  .iv = "cafedebaceface74",
	  .assoc = "000001000000000000000001cafedebaceface74",
	  .ptext = "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
		   "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
		   "9b6266c04722b14923010101",
	  .ctext = "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
		   "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
		   "9b6266c04722b14923010101f72156aec0900ca3948cc1df66c033a1" },
	{ .source = "derived: draft-mcgrew-gcm-test-01 4 packet 13 inputs in the RFC 4543 layout (AAD = SPI||ESN-high||seq||IV||payload, empty text), tag by python3-cryptography 38 AESGCM",
	  .key = "abbccddef00112233445566778899aabdecaf888",
	  .iv = "cafedebaceface74",
	  .assoc = "000001000000000000000001cafedebaceface74",
	  .ptext = "746f016265016f72016e6f7401746f0162650001",
	  .ctext = "746f016265016f72016e6f7401746f01626500011cda69d1a352e837ab2f922a"
		   "ea8bb353" },
	{ .source = "negative: the derived RFC 4543 row of packet 2 with an ICV bit flipped",
	  .key = "feffe9928665731c6d6a8f9467308308cafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "0000a5f80000000afacedbaddecaf888",
	  .ptext = "",
	  .ctext = "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
		   "0001000000000000037369700963796265726369747902646b00000100010001"
		   "6c4ae638829f7397045f7c6c65ead02d",
	  .decrypt_err = -EBADMSG },
	{ .source = "negative: 8-byte ICV (RFC 4543 3.4 requires 16)",
	  .key = "feffe9928665731c6d6a8f9467308308cafebabe",
	  .iv = "facedbaddecaf888",
	  .assoc = "", .ptext = "", .ctext = "",
	  .authsize = 8, .setauthsize_err = -EINVAL },
	{ .source = "negative: 18-byte key",
	  .key = "feffe9928665731c6d6a8f9467308308cafe",
	  .iv = "facedbaddecaf888",
	  .assoc = "", .ptext = "", .ctext = "", .setkey_err = -EINVAL },
};

static const struct alg_test_desc gcm_tests[] = {
	{ .alg = "ghash", .vecs = TESTVECS(hash, ghash_tv) },
	{ .alg = "gcm(aes)", .vecs = TESTVECS(aead, gcm_aes_tv) },
	{ .alg = "rfc4106(gcm(aes))", .vecs = TESTVECS(aead, rfc4106_gcm_aes_tv) },
	{ .alg = "rfc4543(gcm(aes))", .vecs = TESTVECS(aead, rfc4543_gcm_aes_tv) },
};

static int gcm_vectors_init(void)
{
	return crypto_register_tests(gcm_tests, sizeof(gcm_tests) / sizeof(gcm_tests[0]));
}

static void gcm_vectors_exit(void)
{
	crypto_unregister_tests(gcm_tests);
}

CRYPTO_MODULE(gcm_vectors, CRYPTO_MODULE_VECTORS, gcm_vectors_init, gcm_vectors_exit)
