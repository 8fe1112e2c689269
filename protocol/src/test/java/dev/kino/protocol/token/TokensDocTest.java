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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the worked examples (§8, §8.1) and their byte-by-byte breakdowns in protocol/TOKENS.md against the code. */
class TokensDocTest {

    /** The worked examples: §8 (client range, ids) and §8.1 (a plan's cap and offline licences). */
    private static final String BASIC = "example";
    private static final String PLAN = "example-plan";

    private static String doc;
    private static Map<String, Map<String, String>> examples;

    @BeforeAll
    static void load() throws IOException {
        Path p = Path.of("TOKENS.md"); // surefire runs in the module directory
        if (!Files.exists(p)) {
            p = Path.of("protocol", "TOKENS.md");
        }
        doc = Files.readString(p, StandardCharsets.UTF_8);
        examples = new LinkedHashMap<>();
        for (String name : new String[]{BASIC, PLAN}) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : section(name).split("\n")) {
                int colon = line.indexOf(" : ");
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim(), line.substring(colon + 3).trim());
                }
            }
            examples.put(name, fields);
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

    private static String field(String example, String name) {
        String v = examples.get(example).get(name);
        assertTrue(v != null, "TOKENS.md " + example + " lacks \"" + name + "\"");
        return v;
    }

    /** The claims an example lists: the optional ones only when it names them. */
    private static PlaybackClaims claims(String example) {
        Map<String, String> f = examples.get(example);
        PlaybackClaims.Builder b = PlaybackClaims.builder()
                .notBefore(Long.parseLong(field(example, "not before")))
                .expiresAt(Long.parseLong(field(example, "expires at")))
                .pathPrefix(field(example, "path prefix"));
        if (f.containsKey("client range")) {
            b.clientRange(IpRange.parse(f.get("client range")));
        }
        b.userId(f.get("user id")).sessionId(f.get("session id"));
        if (f.containsKey("max height")) {
            b.maxHeight(Integer.parseInt(f.get("max height")));
        }
        return b.offline("yes".equals(f.get("offline"))).build();
    }

    private static SigningKeys keys(String example) {
        return SigningKeys.single(field(example, "kid"), HexFormat.of().parseHex(field(example, "key (hex)")));
    }

    @ParameterizedTest
    @ValueSource(strings = {BASIC, PLAN})
    void claimsBytesSigningInputMacAndTokenMatchTheDoc(String example) {
        PlaybackClaims claims = claims(example);
        assertEquals(field(example, "claims (hex)"), HexFormat.of().formatHex(ClaimsCodec.encode(claims)));
        String token = new TokenSigner(keys(example)).sign(claims);
        assertEquals(field(example, "token"), token);
        assertEquals(field(example, "signing input"), token.substring(0, token.lastIndexOf('.')));
        assertEquals(field(example, "mac (hex)"),
                HexFormat.of().formatHex(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1))));
        assertTrue(doc.contains("token is\n" + token.length() + " characters")
                || doc.contains("token is " + token.length() + " characters"), "token length in prose");
    }

    @ParameterizedTest
    @ValueSource(strings = {BASIC, PLAN})
    void breakdownTableConcatenatesToTheClaimsBytes(String example) {
        StringBuilder hex = new StringBuilder();
        int expectedOffset = 0;
        for (String row : section(example.replace("example", "breakdown")).split("\n")) {
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
        assertEquals(field(example, "claims (hex)"), hex.toString());
        assertTrue(doc.contains(" " + expectedOffset + " claims bytes"), "byte count in prose");
    }

    @Test
    void docTokenVerifiesAsDescribed() {
        TokenVerifier verifier = new TokenVerifier(keys(BASIC), Duration.ZERO);
        String token = field(BASIC, "token");
        Instant nbf = Instant.ofEpochSecond(Long.parseLong(field(BASIC, "not before")));
        Instant exp = Instant.ofEpochSecond(Long.parseLong(field(BASIC, "expires at")));
        InetAddress inside = IpRange.parseAddress("203.0.113.7");
        String path = MediaPaths.split(MediaPaths.masterPlaylist(token, TitleId.of("title-123"))).orElseThrow().path();

        VerificationResult ok = verifier.verify(token, path, inside, nbf);
        assertEquals(claims(BASIC), ((VerificationResult.Valid) ok).claims());
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
    void planTokenVerifiesAsDescribed() {
        TokenVerifier verifier = new TokenVerifier(keys(PLAN), Duration.ZERO);
        String token = field(PLAN, "token");
        Instant nbf = Instant.ofEpochSecond(Long.parseLong(field(PLAN, "not before")));
        VerificationResult.Valid ok = (VerificationResult.Valid) verifier.verify(token, "/title-123/master.m3u8",
                IpRange.parseAddress("198.51.100.7"), nbf);
        assertEquals(claims(PLAN), ok.claims());
        assertEquals(240, ok.claims().maxHeight().getAsInt());
        assertTrue(ok.claims().offline());
        assertTrue(ok.claims().clientRange().isEmpty(), "no client range: any address");
        // the cap is the origin's to apply (media-server RenditionCap): §5 passes both renditions' paths
        assertTrue(verifier.verify(token, "/title-123/video-360p/seg-00001.m4s", null, nbf).isValid());
        assertTrue(doc.contains("`/v/{token}/title-123/video-360p/seg-00001.m4s` passes the checks of §5 but is refused"));
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
