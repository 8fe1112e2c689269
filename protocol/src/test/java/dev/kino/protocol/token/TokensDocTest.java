package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the worked example and the byte-by-byte breakdown in protocol/TOKENS.md against the code. */
class TokensDocTest {

    private static String doc;
    private static Map<String, String> example;

    @BeforeAll
    static void load() throws IOException {
        Path p = Path.of("TOKENS.md"); // surefire runs in the module directory
        if (!Files.exists(p)) {
            p = Path.of("protocol", "TOKENS.md");
        }
        doc = Files.readString(p, StandardCharsets.UTF_8);
        example = new LinkedHashMap<>();
        for (String line : section("example").split("\n")) {
            int colon = line.indexOf(" : ");
            if (colon > 0) {
                example.put(line.substring(0, colon).trim(), line.substring(colon + 3).trim());
            }
        }
    }

    private static String section(String name) {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        int b = doc.indexOf(begin);
        int e = doc.indexOf(end);
        assertTrue(b >= 0 && e > b, "TOKENS.md lacks the " + name + " markers");
        return doc.substring(b + begin.length(), e);
    }

    private static String field(String name) {
        String v = example.get(name);
        assertTrue(v != null, "TOKENS.md example lacks \"" + name + "\"");
        return v;
    }

    private static PlaybackClaims claims() {
        return PlaybackClaims.builder()
                .notBefore(Long.parseLong(field("not before")))
                .expiresAt(Long.parseLong(field("expires at")))
                .pathPrefix(field("path prefix"))
                .clientRange(IpRange.parse(field("client range")))
                .userId(field("user id"))
                .sessionId(field("session id"))
                .build();
    }

    private static SigningKeys keys() {
        return SigningKeys.single(field("kid"), HexFormat.of().parseHex(field("key (hex)")));
    }

    @Test
    void claimsBytesSigningInputMacAndTokenMatchTheDoc() {
        PlaybackClaims claims = claims();
        assertEquals(field("claims (hex)"), HexFormat.of().formatHex(ClaimsCodec.encode(claims)));
        String token = new TokenSigner(keys()).sign(claims);
        assertEquals(field("token"), token);
        assertEquals(field("signing input"), token.substring(0, token.lastIndexOf('.')));
        assertEquals(field("mac (hex)"),
                HexFormat.of().formatHex(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1))));
        assertTrue(doc.contains("The token is\n" + token.length() + " characters")
                || doc.contains("The token is " + token.length() + " characters"), "token length in prose");
    }

    @Test
    void breakdownTableConcatenatesToTheClaimsBytes() {
        StringBuilder hex = new StringBuilder();
        int expectedOffset = 0;
        for (String row : section("breakdown").split("\n")) {
            String[] cols = row.split("\\|");
            if (cols.length < 4 || !cols[2].contains("`")) {
                continue;
            }
            int offset = Integer.parseInt(cols[1].trim());
            assertEquals(expectedOffset, offset, "offset column in row: " + row);
            String bytes = cols[2].trim().replace("`", "");
            hex.append(bytes);
            expectedOffset += bytes.length() / 2;
        }
        assertEquals(field("claims (hex)"), hex.toString());
        assertTrue(doc.contains("The " + expectedOffset + " claims bytes"), "byte count in prose");
    }

    @Test
    void docTokenVerifiesAsDescribed() {
        TokenVerifier verifier = new TokenVerifier(keys(), Duration.ZERO);
        String token = field("token");
        Instant nbf = Instant.ofEpochSecond(Long.parseLong(field("not before")));
        Instant exp = Instant.ofEpochSecond(Long.parseLong(field("expires at")));
        InetAddress inside = IpRange.parseAddress("203.0.113.7");
        String path = MediaPaths.split(MediaPaths.masterPlaylist(token, TitleId.of("title-123"))).orElseThrow().path();

        VerificationResult ok = verifier.verify(token, path, inside, nbf);
        assertEquals(claims(), ((VerificationResult.Valid) ok).claims());
        assertTrue(verifier.verify(token, path, inside, exp.minusNanos(1)).isValid());
        assertEquals(FailureReason.ADDRESS_NOT_ALLOWED, reason(verifier.verify(token, path, IpRange.parseAddress("198.51.100.7"), nbf)));
        assertEquals(FailureReason.PATH_NOT_ALLOWED, reason(verifier.verify(token, "/title-12/master.m3u8", inside, nbf)));
        assertEquals(FailureReason.EXPIRED, reason(verifier.verify(token, path, inside, exp)));
        assertEquals("https://cdn.example.com/v/" + token + "/title-123/master.m3u8",
                SignedUrls.hls("https://cdn.example.com", token, "title-123"));
        assertEquals("https://cdn.example.com/v/" + token + "/title-123/manifest.mpd",
                SignedUrls.dash("https://cdn.example.com", token, "title-123"));
    }

    @Test
    void documentedConstantsMatchTheCode() {
        assertTrue(doc.contains("**" + TokenFormat.MAX_TOKEN_LENGTH + " characters**"));
        assertTrue(doc.contains("kid      = 1*" + TokenFormat.MAX_KID_LENGTH + "b64char"));
        assertTrue(doc.contains("mac      = " + TokenFormat.MAC_TEXT_LENGTH + "b64char"));
        assertTrue(doc.contains(Long.toString(TokenFormat.MAX_EPOCH_SECOND)));
        assertTrue(doc.contains("`/v/{token}/{title}/" + MediaPaths.MASTER_PLAYLIST + "`"));
        assertTrue(doc.contains("`/v/{token}/{title}/" + MediaPaths.DASH_MANIFEST + "`"));
        assertTrue(doc.contains("`/v/{token}/{title}/" + MediaPaths.KEYS_DIR + "/{keyId}`"));
        assertTrue(doc.contains("`/v/{token}/{title}/" + MediaPaths.CLEARKEY_LICENCE + "`"));
        for (FailureReason r : FailureReason.values()) {
            assertTrue(doc.contains("**" + r.name() + "**"), r.name());
        }
    }

    private static FailureReason reason(VerificationResult r) {
        return r instanceof VerificationResult.Rejected rej ? rej.reason() : null;
    }
}
