package dev.kino.media.http;

import dev.kino.media.MediaFixture;
import dev.kino.protocol.token.IpRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** media.trustedProxies: forwarded client addresses count only when a trusted proxy says so. */
class ClientAddressTest {
    static final List<IpRange> TRUSTED = List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("2001:db8:ed9e::/48"));

    static InetAddress a(String text) {
        return IpRange.parseAddress(text);
    }

    static String resolve(String peer, String forwarded, String xff, List<IpRange> trusted) {
        return ClientAddress.resolve(a(peer), forwarded, xff, trusted).getHostAddress();
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSays() {
        assertEquals("198.51.100.9", resolve("198.51.100.9", null, "203.0.113.7", TRUSTED));
        assertEquals("198.51.100.9", resolve("198.51.100.9", "for=203.0.113.7", null, TRUSTED));
        assertEquals("10.1.2.3", resolve("10.1.2.3", null, "203.0.113.7", List.of()), "nobody trusted by default");
    }

    @Test
    void aTrustedProxyNamesTheNearestUntrustedHop() {
        assertEquals("203.0.113.7", resolve("10.1.2.3", null, "203.0.113.7", TRUSTED));
        // a client that forges the header only adds to its left: the edge appended the real address
        assertEquals("203.0.113.7", resolve("10.1.2.3", null, "192.0.2.66, 203.0.113.7", TRUSTED));
        // two trusted proxies in a row (edge → load balancer → origin)
        assertEquals("203.0.113.7", resolve("10.1.2.3", null, "192.0.2.66, 203.0.113.7, 10.9.9.9", TRUSTED));
        assertEquals("10.9.9.9", resolve("10.1.2.3", null, "10.9.9.9", TRUSTED), "every hop trusted: the farthest");
        assertEquals("10.1.2.3", resolve("10.1.2.3", null, null, TRUSTED), "no header: the peer");
        assertEquals("10.1.2.3", resolve("10.1.2.3", null, "not-an-address", TRUSTED), "unreadable: the nearest");
    }

    @Test
    void forwardedIsPreferredAndItsNodeFormsAreRead() {
        assertEquals("203.0.113.7", resolve("10.1.2.3", "for=192.0.2.66, for=203.0.113.7;proto=https", "198.51.100.1",
                TRUSTED));
        assertEquals("2001:db8:cafe:0:0:0:0:17", resolve("2001:db8:ed9e::1", "for=\"[2001:db8:cafe::17]:4711\"", null,
                TRUSTED));
        assertEquals("203.0.113.7", resolve("10.1.2.3", "For=\"203.0.113.7:4711\"", null, TRUSTED));
        assertEquals("10.1.2.3", resolve("10.1.2.3", "for=unknown", null, TRUSTED));
        assertEquals("10.1.2.3", resolve("10.1.2.3", "for=_hidden", null, TRUSTED));
    }

    @Test
    void ipBoundTokensUseTheForwardedAddressOnlyBehindATrustedProxy(@TempDir Path root) throws Exception {
        try (MediaFixture trusting = MediaFixture.start(root.resolve("a"), s -> s.trustedProxies = List.of("127.0.0.0/8"))) {
            String bound = "/v/" + trusting.signer.sign(MediaFixture.claims("t1")
                    .clientRange(IpRange.parse("203.0.113.0/24")).build()) + "/t1/master.m3u8";
            assertEquals(403, trusting.get(bound).statusCode(), "the proxy's own address is not in the range");
            assertEquals(200, trusting.get(bound, "X-Forwarded-For", "203.0.113.7").statusCode());
            assertEquals(200, trusting.get(bound, "Forwarded", "for=203.0.113.7").statusCode());
            assertEquals(403, trusting.get(bound, "X-Forwarded-For", "198.51.100.1").statusCode());
        }
        try (MediaFixture plain = MediaFixture.start(root.resolve("b"))) {
            String bound = "/v/" + plain.signer.sign(MediaFixture.claims("t1")
                    .clientRange(IpRange.parse("203.0.113.0/24")).build()) + "/t1/master.m3u8";
            assertEquals(403, plain.get(bound, "X-Forwarded-For", "203.0.113.7").statusCode(),
                    "without trusted proxies a spoofed header changes nothing");
        }
    }
}
