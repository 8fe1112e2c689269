package dev.kino.protocol.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaPathsTest {

    static final String TOKEN = "1.k1.AQID.abc-_";

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "title-123", "t.v_2-x", "a.b.c", "a.", "A1_-.a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void validTitleIds(String id) {
        assertTrue(TitleId.isValid(id));
        assertEquals(id, TitleId.of(id).value());
        assertEquals("/" + id + "/", TitleId.of(id).pathPrefix());
        assertTrue(PlaybackClaims.isValidPathPrefix(TitleId.of(id).pathPrefix()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".a", "-a", "_a", "a..b", "a/b", "a b", "a%2f", "a~b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "\u00e9t\u00e9", "a\u0000", "a\\b", "a:b"})
    void invalidTitleIds(String id) {
        assertFalse(TitleId.isValid(id));
        assertThrows(IllegalArgumentException.class, () -> TitleId.of(id));
    }

    @Test
    void nullTitleId() {
        assertFalse(TitleId.isValid(null));
        assertThrows(NullPointerException.class, () -> TitleId.of(null));
    }

    @Test
    void layout() {
        TitleId t = TitleId.of("title-123");
        assertEquals("/title-123/", MediaPaths.titlePrefix(t));
        assertEquals("/v/" + TOKEN + "/title-123/master.m3u8", MediaPaths.masterPlaylist(TOKEN, t));
        assertEquals("/v/" + TOKEN + "/title-123/manifest.mpd", MediaPaths.dashManifest(TOKEN, t));
        assertEquals("/v/" + TOKEN + "/title-123/keys/00112233445566778899aabbccddeeff",
                MediaPaths.key(TOKEN, t, "00112233445566778899aabbccddeeff"));
        assertEquals("/v/" + TOKEN + "/title-123/license/clearkey", MediaPaths.clearKeyLicence(TOKEN, t));
        assertThrows(IllegalArgumentException.class, () -> MediaPaths.key(TOKEN, t, ".."));
        assertThrows(IllegalArgumentException.class, () -> MediaPaths.key(TOKEN, t, "a/b"));
        assertThrows(IllegalArgumentException.class, () -> MediaPaths.masterPlaylist("a/b", t));
        assertThrows(IllegalArgumentException.class, () -> MediaPaths.masterPlaylist("..", t));
        assertThrows(IllegalArgumentException.class, () -> MediaPaths.masterPlaylist("a%2F", t));
    }

    @Test
    void split() {
        assertEquals(Optional.of(new MediaPaths.TokenizedPath(TOKEN, "/title-123/720p/seg-1.m4s")),
                MediaPaths.split("/v/" + TOKEN + "/title-123/720p/seg-1.m4s"));
        assertEquals(Optional.of(new MediaPaths.TokenizedPath("t", "/a")), MediaPaths.split("/v/t/a"));
        for (String p : new String[] {null, "", "/", "/v/", "/v//a", "/v/t", "/v/t/", "/x/t/a", "v/t/a"}) {
            assertEquals(Optional.empty(), MediaPaths.split(p), String.valueOf(p));
        }
    }

    @Test
    void everyLayoutPathIsGrantedByTheTitleTokenAndNoOtherTitle() {
        SigningKeys keys = SigningKeys.single("k1", TestKeys.secret(1));
        TitleId title = TitleId.of("title-1");
        Instant now = Instant.ofEpochSecond(1_000_000);
        String token = new TokenSigner(keys).sign(PlaybackClaims.builder().title(title).validFor(now, Duration.ofHours(1)).build());
        TokenVerifier verifier = new TokenVerifier(keys, Duration.ZERO);
        for (String full : new String[] {
            MediaPaths.masterPlaylist(token, title), MediaPaths.dashManifest(token, title),
            MediaPaths.key(token, title, "abcd"), MediaPaths.clearKeyLicence(token, title),
            MediaPaths.titleRoot(token, title) + "720p/seg-00001.m4s"
        }) {
            MediaPaths.TokenizedPath split = MediaPaths.split(full).orElseThrow();
            assertEquals(token, split.token());
            assertTrue(verifier.verify(split.token(), split.path(), null, now).isValid(), full);
        }
        String other = MediaPaths.masterPlaylist(token, TitleId.of("title-12"));
        MediaPaths.TokenizedPath split = MediaPaths.split(other).orElseThrow();
        assertEquals(FailureReason.PATH_NOT_ALLOWED,
                ((VerificationResult.Rejected) verifier.verify(split.token(), split.path(), null, now)).reason());
    }

    @Test
    void signedUrls() {
        assertEquals("https://cdn.example.com/v/" + TOKEN + "/title-123/master.m3u8",
                SignedUrls.hls("https://cdn.example.com", TOKEN, "title-123"));
        assertEquals("https://cdn.example.com/v/" + TOKEN + "/title-123/manifest.mpd",
                SignedUrls.dash("https://cdn.example.com/", TOKEN, TitleId.of("title-123")));
        assertEquals("http://127.0.0.1:8080/kino/v/" + TOKEN + "/t/master.m3u8",
                SignedUrls.hls("http://127.0.0.1:8080/kino/", TOKEN, "t"));
        assertEquals("https://[2001:db8::1]/v/" + TOKEN + "/t/manifest.mpd",
                SignedUrls.dash("https://[2001:db8::1]", TOKEN, "t"));
        URI uri = URI.create(SignedUrls.hls("https://cdn.example.com", TOKEN, "title-123"));
        assertEquals("/v/" + TOKEN + "/title-123/master.m3u8", uri.getRawPath());
        assertEquals(uri.getRawPath(), uri.getPath()); // nothing percent-encoded
        for (String bad : new String[] {null, "", "cdn.example.com", "ftp://x", "https://", "https://x?a=1",
            "https://x#f", "https://u:p@x", "/relative", "https://x y"}) {
            assertThrows(IllegalArgumentException.class, () -> SignedUrls.hls(bad, TOKEN, "t"), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> SignedUrls.hls("https://x", TOKEN, "../etc"));
        assertThrows(IllegalArgumentException.class, () -> SignedUrls.hls("https://x", "a/b", "t"));
    }
}
