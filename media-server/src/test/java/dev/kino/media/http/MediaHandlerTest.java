package dev.kino.media.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.http.Cors;
import dev.kino.http.HttpLimits;
import dev.kino.media.MediaFixture;
import dev.kino.media.access.TakenDownTitles;
import dev.kino.media.access.TokenGate;
import dev.kino.media.file.CachePolicy;
import dev.kino.media.file.MediaFiles;
import dev.kino.media.key.TitleKeys;
import dev.kino.media.metrics.MediaMetrics;
import dev.kino.protocol.token.FailureReason;
import dev.kino.protocol.token.SigningKeys;
import dev.kino.protocol.token.TokenVerifier;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link MediaHandler} on an {@link EmbeddedChannel}, the blocking executor running tasks in place. */
class MediaHandlerTest {
    @TempDir
    Path root;
    MediaMetrics metrics;
    EmbeddedChannel ch;
    String token;

    @BeforeEach
    void setUp() throws IOException {
        Path t1 = Files.createDirectories(root.resolve("t1/video-720p"));
        Files.write(t1.resolve("seg-00001.m4s"), MediaFixture.segmentBytes());
        metrics = new MediaMetrics();
        Executor direct = Runnable::run;
        MediaFiles files = new MediaFiles(root.toRealPath());
        SigningKeys keys = SigningKeys.single("k1", MediaFixture.TOKEN_KEY);
        ServerContext sc = new ServerContext(files, new TitleKeys(files, new ContentKeyWrapper(MediaFixture.KEK), direct),
                new TokenGate(new TokenVerifier(keys, Duration.ofSeconds(30)), Clock.systemUTC(), metrics),
                new TakenDownTitles(), metrics, new Cors(List.of("*")),
                new CachePolicy(Duration.ofSeconds(2), Duration.ofDays(1)), direct, null, null,
                new HttpLimits(10, 4096, 1024, 65536, Duration.ofSeconds(10), Duration.ofSeconds(30)),
                new ServerContext.Drain(), "http://127.0.0.1", List.of());
        ch = new EmbeddedChannel(new MediaHandler(sc, false));
        token = new dev.kino.protocol.token.TokenSigner(keys).sign(MediaFixture.claims("t1").build());
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String... headers) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().set(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void preflightNeedsNoToken() {
        ch.writeInbound(request(HttpMethod.OPTIONS, "/v/x/t1/master.m3u8", "Origin", "https://a.example",
                "Access-Control-Request-Method", "GET"));
        FullHttpResponse r = ch.readOutbound();
        try {
            assertEquals(204, r.status().code());
            assertEquals("*", r.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
            assertEquals(Cors.ALLOW_METHODS, r.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS));
        } finally {
            r.release();
        }
    }

    @Test
    void badTokenIs403PrivateNoStoreAndCounted() {
        ch.writeInbound(request(HttpMethod.GET, "/v/garbage/t1/video-720p/seg-00001.m4s"));
        FullHttpResponse r = ch.readOutbound();
        try {
            assertEquals(403, r.status().code());
            assertEquals("private, no-store", r.headers().get(HttpHeaderNames.CACHE_CONTROL));
            assertEquals(1, metrics.tokenFailures(FailureReason.MALFORMED));
        } finally {
            r.release();
        }
    }

    @Test
    void rangeIsAZeroCopyRegion() {
        ch.writeInbound(request(HttpMethod.GET, "/v/" + token + "/t1/video-720p/seg-00001.m4s", "Range", "bytes=100-199"));
        ch.runPendingTasks(); // the answer is written back on the channel's event loop
        HttpResponse head = ch.readOutbound();
        assertEquals(206, head.status().code());
        assertEquals("bytes 100-199/1000", head.headers().get(HttpHeaderNames.CONTENT_RANGE));
        assertEquals("100", head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        Object body = ch.readOutbound();
        DefaultFileRegion region = assertInstanceOf(DefaultFileRegion.class, body);
        assertEquals(100, region.position());
        assertEquals(100, region.count());
        ReferenceCountUtil.release(region);
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, ch.readOutbound());
    }

    @Test
    void headSendsNoBody() {
        ch.writeInbound(request(HttpMethod.HEAD, "/v/" + token + "/t1/video-720p/seg-00001.m4s"));
        ch.runPendingTasks();
        HttpResponse head = ch.readOutbound();
        assertEquals(200, head.status().code());
        assertEquals("1000", head.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertSame(LastHttpContent.EMPTY_LAST_CONTENT, ch.readOutbound());
        assertNull(ch.readOutbound());
    }

    @Test
    void aClientThatWentAwayIsClosedQuietly() {
        ch.pipeline().fireExceptionCaught(new java.io.IOException("recvAddress(..) failed: Connection reset by peer"));
        ch.checkException(); // nothing reached the pipeline's tail, where Netty logs a warning with the stack trace
        org.junit.jupiter.api.Assertions.assertFalse(ch.isOpen());
    }

    @Test
    void anyOtherConnectionFailureIsLoggedAsAWarningAndCloses() {
        Logger log = (Logger) org.slf4j.LoggerFactory.getLogger(MediaHandler.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
            ch.checkException();
            org.junit.jupiter.api.Assertions.assertFalse(ch.isOpen());
            assertEquals(1, seen.list.size());
            assertEquals(Level.WARN, seen.list.get(0).getLevel());
            assertEquals("a bug", seen.list.get(0).getThrowableProxy().getMessage());
        } finally {
            log.detachAppender(seen);
        }
    }
}
