package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierTest {

    static final long NBF = 1_767_225_600L; // 2026-01-01T00:00:00Z
    static final long EXP = NBF + 7200;
    static final Instant NOW = Instant.ofEpochSecond(NBF + 60);
    static final InetAddress CLIENT = IpRange.parseAddress("203.0.113.7");

    static final SigningKeys KEYS = SigningKeys.single("k1", TestKeys.secret(1));
    static final TokenSigner SIGNER = new TokenSigner(KEYS);
    static final TokenVerifier VERIFIER = new TokenVerifier(KEYS, Duration.ZERO);

    static PlaybackClaims.Builder base() {
        return PlaybackClaims.builder().notBefore(NBF).expiresAt(EXP).title(TitleId.of("title-123"));
    }

    static FailureReason reason(VerificationResult r) {
        return r instanceof VerificationResult.Rejected rej ? rej.reason() : null;
    }

    @Test
    void roundTripMinimal() {
        PlaybackClaims claims = base().build();
        String token = SIGNER.sign(claims);
        VerificationResult r = VERIFIER.verify(token, "/title-123/master.m3u8", CLIENT, NOW);
        assertTrue(r.isValid(), r.toString());
        VerificationResult.Valid v = (VerificationResult.Valid) r;
        assertEquals(claims, v.claims());
        assertEquals("k1", v.kid());
        assertTrue(token.length() < 120, token);
    }

    @Test
    void roundTripAllClaimsIpv4AndIpv6() {
        for (String range : new String[] {"203.0.113.0/24", "2001:db8:1234::/48"}) {
            PlaybackClaims claims = base()
                    .clientRange(IpRange.parse(range))
                    .userId("user-42")
                    .sessionId("8f14e45f-ceea-467a-9f1b-6a8b2b9d7e1c")
                    .build();
            String token = SIGNER.sign(claims);
            assertTrue(token.length() < 200, token);
            assertTrue(token.matches("[A-Za-z0-9._~-]+"), token);
            InetAddress client = IpRange.parseAddress(range.contains(":") ? "2001:db8:1234:5::9" : "203.0.113.200");
            VerificationResult r = VERIFIER.verify(token, "/title-123/720p/seg-00001.m4s", client, NOW);
            assertEquals(claims, ((VerificationResult.Valid) r).claims());
            assertEquals("user-42", claims.userId().orElseThrow());
        }
    }

    @Test
    void theRenditionCapAndTheOfflineClaimRoundTrip() {
        PlaybackClaims claims = base().userId("u").sessionId("s").maxHeight(720).offline(true).build();
        String token = SIGNER.sign(claims);
        VerificationResult.Valid v = (VerificationResult.Valid) VERIFIER.verify(token, "/title-123/master.m3u8", CLIENT, NOW);
        assertEquals(720, v.claims().maxHeight().getAsInt());
        assertTrue(v.claims().offline());
        assertEquals(claims, v.claims());
        // the bytes of §4: flags 0x1E, then after the session id two bytes of height, big-endian
        byte[] bytes = ClaimsCodec.encode(claims);
        assertEquals(0x1E, bytes[0]);
        assertEquals(2, bytes[bytes.length - 2]);
        assertEquals((byte) 0xD0, bytes[bytes.length - 1]);
        PlaybackClaims plain = ((VerificationResult.Valid) VERIFIER.verify(SIGNER.sign(base().build()),
                "/title-123/master.m3u8", CLIENT, NOW)).claims();
        assertTrue(plain.maxHeight().isEmpty());
        assertTrue(!plain.offline());
        assertThrows(IllegalArgumentException.class, () -> base().maxHeight(70_000).build());
    }

    @Test
    void signingIsDeterministic() {
        PlaybackClaims claims = base().userId("u").build();
        assertEquals(SIGNER.sign(claims), SIGNER.sign(claims));
    }

    @Test
    void largestPossibleTokenFitsTheLengthLimit() {
        String acl = "/" + "a".repeat(253) + "/";
        PlaybackClaims claims = PlaybackClaims.builder()
                .notBefore(TokenFormat.MAX_EPOCH_SECOND - 1).expiresAt(TokenFormat.MAX_EPOCH_SECOND)
                .pathPrefix(acl)
                .clientRange(IpRange.parse("2001:db8::1"))
                .userId("u".repeat(128)).sessionId("s".repeat(128))
                .build();
        String token = new TokenSigner(SigningKeys.single("k".repeat(32), TestKeys.secret(3))).sign(claims);
        assertTrue(token.length() <= TokenFormat.MAX_TOKEN_LENGTH, "length " + token.length());
        TokenVerifier v = new TokenVerifier(SigningKeys.single("k".repeat(32), TestKeys.secret(3)), Duration.ZERO);
        assertTrue(v.verify(token, acl + "x", IpRange.parseAddress("2001:db8::1"),
                Instant.ofEpochSecond(TokenFormat.MAX_EPOCH_SECOND - 1)).isValid());
    }

    // ------------------------------------------------------------------ failure reasons

    @Test
    void malformed() {
        String good = SIGNER.sign(base().build());
        for (String bad : new String[] {
            null, "", "1", "1.k1", "1.k1.AA", "...", good + ".x", good + "=", good.replace('.', '~'),
            "2" + good.substring(1), // unknown version
            "1." + "k".repeat(33) + good.substring(good.indexOf('.', 2)), // kid too long
            good.substring(0, good.length() - 1), // MAC 42 chars
            good + "A", // MAC 44 chars
            "1..AAAA." + "A".repeat(43), // empty kid
            "1.k1.." + "A".repeat(43), // empty claims
            "x".repeat(TokenFormat.MAX_TOKEN_LENGTH + 1),
            good.replace("k1", "k\u00e91"), "1.k1.AAAA.\u0000" + "A".repeat(42), good + "\n"
        }) {
            assertEquals(FailureReason.MALFORMED, reason(VERIFIER.verify(bad, "/title-123/x", CLIENT, NOW)),
                    String.valueOf(bad));
        }
    }

    @Test
    void malformedClaimsBehindAValidMacAreMalformed() {
        // Only a buggy signer holding the key can produce these; the decoder must still not throw.
        byte[][] cases = {
            {}, {0}, {(byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/'}, // unknown flag
            {0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, '/'}, // exp <= nbf
            {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 0}, // trailing byte
            {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, '/', 'a'}, // prefix not ending in '/'
            {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 4, '/', '.', '.', '/'}, // dot segment
            {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 4, 33, 1, 2, 3, 4}, // prefix 33 on IPv4
            {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 4, 8, 10, 1, 0, 0}, // host bits set
            {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 5, 8, 10, 0, 0, 0}, // family 5
            {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 6, (byte) 128,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4}, // IPv4-mapped
            {2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 0}, // empty user id
            {2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 1, ' '}, // space in user id
            {4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 5, 'a'}, // truncated session id
            {(byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/'}, // huge nbf
            {0x20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/'}, // flag 0x20: unknown
            {0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 0, 0}, // max height 0: not canonical
            {0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 1}, // truncated max height
            {0x10, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/', 0}, // offline carries no bytes
        };
        for (byte[] c : cases) {
            String token = SIGNER.signClaimsBytes(c);
            assertEquals(FailureReason.MALFORMED, reason(VERIFIER.verify(token, "/x/", CLIENT, NOW)), token);
        }
        // and the well-formed variant of the same shape is accepted
        String ok = SIGNER.signClaimsBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 1, '/'});
        assertTrue(VERIFIER.verify(ok, "/x/", CLIENT, Instant.ofEpochSecond(1)).isValid());
    }

    @Test
    void unknownKey() {
        String token = new TokenSigner(SigningKeys.single("other", TestKeys.secret(2))).sign(base().build());
        assertEquals(FailureReason.UNKNOWN_KEY, reason(VERIFIER.verify(token, "/title-123/x", CLIENT, NOW)));
    }

    @Test
    void badSignatureSameKidOtherSecret() {
        String token = new TokenSigner(SigningKeys.single("k1", TestKeys.secret(2))).sign(base().build());
        assertEquals(FailureReason.BAD_SIGNATURE, reason(VERIFIER.verify(token, "/title-123/x", CLIENT, NOW)));
    }

    @Test
    void badSignatureWhenClaimsAreSwapped() {
        String a = SIGNER.sign(base().build());
        String b = SIGNER.sign(base().title(TitleId.of("title-999")).build());
        String spliced = b.substring(0, b.lastIndexOf('.')) + a.substring(a.lastIndexOf('.'));
        assertEquals(FailureReason.BAD_SIGNATURE, reason(VERIFIER.verify(spliced, "/title-999/x", CLIENT, NOW)));
    }

    @Test
    void notYetValidAndExpired() {
        String token = SIGNER.sign(base().build());
        assertEquals(FailureReason.NOT_YET_VALID,
                reason(VERIFIER.verify(token, "/title-123/x", CLIENT, Instant.ofEpochSecond(NBF).minusNanos(1))));
        assertTrue(VERIFIER.verify(token, "/title-123/x", CLIENT, Instant.ofEpochSecond(NBF)).isValid());
        assertTrue(VERIFIER.verify(token, "/title-123/x", CLIENT, Instant.ofEpochSecond(EXP).minusNanos(1)).isValid());
        assertEquals(FailureReason.EXPIRED,
                reason(VERIFIER.verify(token, "/title-123/x", CLIENT, Instant.ofEpochSecond(EXP))));
        assertEquals(410, FailureReason.EXPIRED.suggestedHttpStatus());
        assertEquals(403, FailureReason.BAD_SIGNATURE.suggestedHttpStatus());
    }

    @Test
    void clockSkewEdges() {
        TokenVerifier skewed = new TokenVerifier(KEYS, Duration.ofSeconds(30));
        String token = SIGNER.sign(base().build());
        Instant nbf = Instant.ofEpochSecond(NBF);
        Instant exp = Instant.ofEpochSecond(EXP);
        assertTrue(skewed.verify(token, "/title-123/x", CLIENT, nbf.minusSeconds(30)).isValid());
        assertEquals(FailureReason.NOT_YET_VALID,
                reason(skewed.verify(token, "/title-123/x", CLIENT, nbf.minusSeconds(30).minusNanos(1))));
        assertTrue(skewed.verify(token, "/title-123/x", CLIENT, exp.plusSeconds(30).minusNanos(1)).isValid());
        assertEquals(FailureReason.EXPIRED, reason(skewed.verify(token, "/title-123/x", CLIENT, exp.plusSeconds(30))));
        // sub-second skew is honoured exactly
        TokenVerifier half = new TokenVerifier(KEYS, Duration.ofMillis(500));
        assertTrue(half.verify(token, "/title-123/x", CLIENT, exp.plusMillis(499)).isValid());
        assertEquals(FailureReason.EXPIRED, reason(half.verify(token, "/title-123/x", CLIENT, exp.plusMillis(500))));
        // skew limits
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(KEYS, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(KEYS, TokenVerifier.MAX_CLOCK_SKEW.plusNanos(1)));
        // skew near the representable limits does not overflow
        PlaybackClaims edge = PlaybackClaims.builder().notBefore(0).expiresAt(TokenFormat.MAX_EPOCH_SECOND).pathPrefix("/").build();
        TokenVerifier max = new TokenVerifier(KEYS, TokenVerifier.MAX_CLOCK_SKEW);
        assertTrue(max.verify(SIGNER.sign(edge), "/a", null, Instant.ofEpochSecond(0).minusSeconds(3600)).isValid());
        assertEquals(FailureReason.NOT_YET_VALID,
                reason(max.verify(SIGNER.sign(edge), "/a", null, Instant.MIN)));
        assertEquals(FailureReason.EXPIRED, reason(max.verify(SIGNER.sign(edge), "/a", null, Instant.MAX)));
    }

    @Test
    void timeIsCheckedBeforePathAndAddress() {
        String token = SIGNER.sign(base().clientRange(IpRange.parse("198.51.100.0/24")).build());
        assertEquals(FailureReason.EXPIRED,
                reason(VERIFIER.verify(token, "/other/x", CLIENT, Instant.ofEpochSecond(EXP))));
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(token, "/other/x", CLIENT, NOW)));
        assertEquals(FailureReason.ADDRESS_NOT_ALLOWED, reason(VERIFIER.verify(token, "/title-123/x", CLIENT, NOW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/title-12/master.m3u8", "/title-1234/master.m3u8", "/title-123", "title-123/x", "/TITLE-123/x",
        "/title-123/../title-999/x", "/title-123/./x", "/title-123//x", "/title-123/%2e%2e/x",
        "/title-123/a%2Fb", "/title-123/x?y=1", "/title-123/x#f", "/title-123/a\\b", "/title-123/\u00e9",
        "/title-123/x\n", "", "/"
    })
    void pathNotAllowed(String path) {
        String token = SIGNER.sign(base().build());
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(token, path, CLIENT, NOW)), path);
    }

    @Test
    void pathNullIsNotAllowed() {
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(SIGNER.sign(base().build()), null, CLIENT, NOW)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/title-123/", "/title-123/master.m3u8", "/title-123/720p/seg-00001.m4s", "/title-123/keys/0123abcd",
        "/title-123/license/clearkey", "/title-123/a.b/c~d/..e/...", "/title-123/dir/"
    })
    void pathAllowed(String path) {
        assertTrue(VERIFIER.verify(SIGNER.sign(base().build()), path, CLIENT, NOW).isValid(), path);
    }

    @Test
    void prefixBoundary() {
        String token = SIGNER.sign(base().title(TitleId.of("title-1")).build());
        assertTrue(VERIFIER.verify(token, "/title-1/master.m3u8", CLIENT, NOW).isValid());
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(token, "/title-12/master.m3u8", CLIENT, NOW)));
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(token, "/title-1.m3u8", CLIENT, NOW)));
        // the ACL must end with '/', so a prefix that would match mid-segment cannot be expressed
        assertThrows(IllegalArgumentException.class, () -> base().pathPrefix("/title-1").build());
        // deeper prefixes work too
        String rendition = SIGNER.sign(base().pathPrefix("/title-1/720p/").build());
        assertTrue(VERIFIER.verify(rendition, "/title-1/720p/seg-1.m4s", CLIENT, NOW).isValid());
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(VERIFIER.verify(rendition, "/title-1/1080p/seg-1.m4s", CLIENT, NOW)));
    }

    @Test
    void addressBinding() {
        String v4 = SIGNER.sign(base().clientRange(IpRange.parse("203.0.113.0/24")).build());
        assertTrue(VERIFIER.verify(v4, "/title-123/x", IpRange.parseAddress("203.0.113.255"), NOW).isValid());
        assertTrue(VERIFIER.verify(v4, "/title-123/x", IpRange.parseAddress("::ffff:203.0.113.9"), NOW).isValid());
        assertEquals(FailureReason.ADDRESS_NOT_ALLOWED,
                reason(VERIFIER.verify(v4, "/title-123/x", IpRange.parseAddress("203.0.114.1"), NOW)));
        assertEquals(FailureReason.ADDRESS_NOT_ALLOWED, reason(VERIFIER.verify(v4, "/title-123/x", null, NOW)));
        assertEquals(FailureReason.ADDRESS_NOT_ALLOWED,
                reason(VERIFIER.verify(v4, "/title-123/x", IpRange.parseAddress("2001:db8::1"), NOW)));
        // unbound tokens ignore the address, even when unknown
        assertTrue(VERIFIER.verify(SIGNER.sign(base().build()), "/title-123/x", null, NOW).isValid());
    }

    // ------------------------------------------------------------------ rotation

    @Test
    void keyRotation() {
        SigningKeys oldRing = SigningKeys.single("k2025", TestKeys.secret(10));
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put("k2025", TestKeys.secret(10));
        both.put("k2026", TestKeys.secret(11));
        SigningKeys transition = SigningKeys.of(both, "k2026");
        SigningKeys newRing = SigningKeys.single("k2026", TestKeys.secret(11));

        String oldToken = new TokenSigner(oldRing).sign(base().build());
        String newToken = new TokenSigner(transition).sign(base().build());
        assertTrue(newToken.startsWith("1.k2026."));
        assertNotEquals(oldToken, newToken);

        TokenVerifier during = new TokenVerifier(transition, Duration.ZERO);
        VerificationResult oldResult = during.verify(oldToken, "/title-123/x", CLIENT, NOW);
        VerificationResult newResult = during.verify(newToken, "/title-123/x", CLIENT, NOW);
        assertEquals("k2025", ((VerificationResult.Valid) oldResult).kid());
        assertEquals("k2026", ((VerificationResult.Valid) newResult).kid());

        TokenVerifier after = new TokenVerifier(newRing, Duration.ZERO);
        assertTrue(after.verify(newToken, "/title-123/x", CLIENT, NOW).isValid());
        assertEquals(FailureReason.UNKNOWN_KEY, reason(after.verify(oldToken, "/title-123/x", CLIENT, NOW)));
        // a verifier that has not learned the new key yet
        assertEquals(FailureReason.UNKNOWN_KEY,
                reason(new TokenVerifier(oldRing, Duration.ZERO).verify(newToken, "/title-123/x", CLIENT, NOW)));
    }

    // ------------------------------------------------------------------ tampering

    @Test
    void everySingleCharacterChangeIsRejected() {
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put("k1", TestKeys.secret(1));
        both.put("k2", TestKeys.secret(2)); // so kid tampering can also hit a known key
        TokenVerifier verifier = new TokenVerifier(SigningKeys.of(both, "k1"), Duration.ZERO);
        String token = SIGNER.sign(base().clientRange(IpRange.parse("203.0.113.0/24")).userId("u-1").sessionId("s-1").build());
        assertTrue(verifier.verify(token, "/title-123/x", CLIENT, NOW).isValid());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
        int checked = 0;
        for (int i = 0; i < token.length(); i++) {
            for (int a = 0; a < alphabet.length(); a++) {
                char c = alphabet.charAt(a);
                if (c == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                VerificationResult r = verifier.verify(tampered, "/title-123/x", CLIENT, NOW);
                assertFalse(r.isValid(), tampered);
                checked++;
            }
            // deletion and insertion at every position
            assertFalse(verifier.verify(token.substring(0, i) + token.substring(i + 1), "/title-123/x", CLIENT, NOW).isValid());
            assertFalse(verifier.verify(token.substring(0, i) + "A" + token.substring(i), "/title-123/x", CLIENT, NOW).isValid());
        }
        assertTrue(checked > 5000);
    }

    @Test
    void flippingTheUnusedLowBitsOfTheMacIsRejected() {
        // 43 base64url chars carry 258 bits for a 256-bit MAC: the last char has 2 unused bits.
        // Comparing text (not decoded bytes) rejects the non-canonical spellings.
        String token = SIGNER.sign(base().build());
        char last = token.charAt(token.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(last);
        for (int low = 1; low < 4; low++) {
            String t = token.substring(0, token.length() - 1) + alphabet.charAt(v ^ low);
            assertEquals(FailureReason.BAD_SIGNATURE, reason(VERIFIER.verify(t, "/title-123/x", CLIENT, NOW)));
        }
    }

    @Test
    void concurrentUseOfOneSignerAndVerifier() throws Exception {
        // Mac instances are not thread-safe; the key ring hands out a fresh clone per call.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                futures.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 2_000; i++) {
                        PlaybackClaims c = base().userId("u-" + thread + "-" + i).build();
                        VerificationResult r = VERIFIER.verify(SIGNER.sign(c), "/title-123/x", CLIENT, NOW);
                        if (r instanceof VerificationResult.Valid v && v.claims().equals(c)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : futures) {
                assertEquals(2_000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectionsAreSharedInstances() {
        assertSame(VERIFIER.verify("garbage", "/x", null, NOW), VERIFIER.verify(null, "/y", null, NOW));
    }

    @Test
    void nullNowIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> VERIFIER.verify("x", "/x", null, null));
    }

    @Test
    void toStringsNeverContainSecrets() {
        String s = KEYS + " " + SIGNER + " " + VERIFIER;
        assertTrue(s.contains("k1"));
        assertFalse(s.contains("secret=") || s.contains("[B@"), s);
    }
}
