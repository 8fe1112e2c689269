package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    @Test
    void rejectsShortSecretsBadKidsAndMissingCurrent() {
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.single("k1", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.single("k1", new byte[0]));
        SigningKeys.single("k1", new byte[32]);
        SigningKeys.single("k1", new byte[200]);
        for (String kid : new String[] {"", "k.1", "k/1", "k 1", "k~1", "k".repeat(33), "k\u00e9"}) {
            assertThrows(IllegalArgumentException.class, () -> SigningKeys.single(kid, new byte[32]), kid);
        }
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.of(Map.of(), "k1"));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.of(Map.of("k1", new byte[32]), "k2"));
        Map<String, byte[]> withNull = new LinkedHashMap<>();
        withNull.put("k1", null);
        assertThrows(NullPointerException.class, () -> SigningKeys.of(withNull, "k1"));
        assertThrows(NullPointerException.class, () -> SigningKeys.of(null, "k1"));
    }

    @Test
    void secretsAreCopiedAndNeverPrinted() {
        byte[] secret = "0123456789abcdef0123456789abcdef-super-secret".getBytes(StandardCharsets.US_ASCII);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("old", TestKeys.secret(5));
        m.put("new", secret.clone());
        SigningKeys keys = SigningKeys.of(m, "new");
        String all = keys + " " + new TokenSigner(keys) + " " + new TokenVerifier(keys, Duration.ofSeconds(5));
        assertEquals("SigningKeys[current=new, kids=[new, old]]", keys.toString());
        for (byte[] s : new byte[][] {secret, TestKeys.secret(5)}) {
            assertFalse(all.contains(new String(s, StandardCharsets.ISO_8859_1)), all);
            assertFalse(all.toLowerCase().contains(HexFormat.of().formatHex(s)), all);
            assertFalse(all.contains(Base64.getEncoder().encodeToString(s)), all);
            assertFalse(all.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(s)), all);
        }
        assertFalse(all.contains("super-secret"));

        // mutating the caller's arrays after construction changes nothing
        PlaybackClaims claims = PlaybackClaims.builder().notBefore(0).expiresAt(10).pathPrefix("/a/").build();
        String before = new TokenSigner(keys).sign(claims);
        m.get("new")[0] ^= 1;
        assertEquals(before, new TokenSigner(keys).sign(claims));
        assertTrue(new TokenVerifier(keys, Duration.ZERO).verify(before, "/a/x", null, Instant.ofEpochSecond(1)).isValid());
    }

    @Test
    void accessors() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("b", TestKeys.secret(1));
        m.put("a", TestKeys.secret(2));
        SigningKeys keys = SigningKeys.of(m, "b");
        assertEquals("b", keys.currentKid());
        assertEquals(Set.of("a", "b"), keys.kids());
        assertTrue(keys.contains("a"));
        assertFalse(keys.contains("c"));
        assertFalse(keys.contains(null));
        assertThrows(UnsupportedOperationException.class, () -> keys.kids().add("x"));
        assertEquals("b", new TokenSigner(keys).currentKid());
    }

    @Test
    void claimsValidation() {
        PlaybackClaims.Builder ok = PlaybackClaims.builder().notBefore(10).expiresAt(20).pathPrefix("/t/");
        ok.build();
        assertThrows(IllegalArgumentException.class, () -> PlaybackClaims.builder().expiresAt(20).pathPrefix("/t/").build());
        assertThrows(IllegalArgumentException.class, () -> PlaybackClaims.builder().notBefore(10).expiresAt(20).build());
        assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().notBefore(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().expiresAt(10).build());
        assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().expiresAt(TokenFormat.MAX_EPOCH_SECOND + 1).build());
        for (String p : new String[] {"", "t/", "/t", "//", "/t//", "/./", "/../", "/t/../", "/%2e/", "/t t/", "/\u00e9/",
            "/" + "a".repeat(254) + "/"}) {
            assertFalse(PlaybackClaims.isValidPathPrefix(p), p);
            assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().pathPrefix(p).build(), p);
        }
        assertTrue(PlaybackClaims.isValidPathPrefix("/"));
        assertTrue(PlaybackClaims.isValidPathPrefix("/" + "a".repeat(253) + "/"));
        for (String id : new String[] {"", "a b", "x".repeat(129), "\u00e9", "a\tb"}) {
            assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().userId(id).build(), id);
            assertThrows(IllegalArgumentException.class, () -> ok.build().toBuilder().sessionId(id).build(), id);
        }
        assertThrows(IllegalArgumentException.class,
                () -> PlaybackClaims.builder().validFor(Instant.EPOCH, Duration.ZERO));
        PlaybackClaims c = PlaybackClaims.builder().validFor(Instant.ofEpochSecond(100, 999_999_999), Duration.ofMinutes(1))
                .pathPrefix("/t/").userId("u").build();
        assertEquals(100, c.notBefore());
        assertEquals(160, c.expiresAt());
        assertEquals(Instant.ofEpochSecond(160), c.expiresAtInstant());
        assertEquals(Instant.ofEpochSecond(100), c.notBeforeInstant());
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.hashCode(), c.toBuilder().build().hashCode());
        assertTrue(c.toString().contains("/t/"));
    }
}
