package dev.kino.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared pipeline on a real server (port 0) with an application that answers {@code /slow} after 500 ms from
 * another thread and anything else at once, its path echoed in the body.
 */
class HttpServerPipelineTest {
    private EventLoopGroup group;
    private Channel server;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private int start(HttpLimits limits) {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(HttpServerPipeline.builder(limits).channels(connections).application((p, secure) -> p.addLast(new Echo())).build())
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private static HttpLimits limits(Duration readTimeout) {
        return new HttpLimits(4, 1024, 256, 4096, readTimeout, Duration.ofSeconds(30), 64);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Runnable answer = () -> {
                byte[] body = path.getBytes(StandardCharsets.UTF_8);
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                HttpUtil.setKeepAlive(r, keepAlive);
                ctx.writeAndFlush(r);
            };
            if (path.equals("/slow")) {
                ctx.executor().schedule(answer, 500, TimeUnit.MILLISECONDS);
            } else {
                answer.run();
            }
        }
    }

    @Test
    void headDrippedOneByteASecondIsCutAfterTheReadTimeout() throws Exception {
        int port = start(limits(Duration.ofSeconds(2)));
        try (RawClient c = new RawClient(port)) {
            double closedAfter = c.drip("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "y".repeat(100), 100);
            assertTrue(closedAfter >= 1.5 && closedAfter < 6, "closed after " + closedAfter + " s");
        }
    }

    @Test
    void bodyDrippedAfterACompleteHeadIsCut() throws Exception {
        int port = start(limits(Duration.ofSeconds(2)));
        try (RawClient c = new RawClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
            double closedAfter = c.drip("z".repeat(1000), 1000);
            assertTrue(closedAfter < 8, "closed after " + closedAfter + " s");
        }
    }

    @Test
    void aChunkedBodyDrippedAfterACompleteHeadIsCutToo() throws Exception {
        // bodyless requests get no body timer; Transfer-Encoding announces a body as Content-Length does
        int port = start(limits(Duration.ofSeconds(2)));
        try (RawClient c = new RawClient(port)) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            double closedAfter = c.drip("3e8\r\n" + "z".repeat(1000), 1000);
            assertTrue(closedAfter < 8, "closed after " + closedAfter + " s");
        }
    }

    @Test
    void aBodySentAtOnceIsServed() throws Exception {
        int port = start(limits(Duration.ofSeconds(2)));
        try (RawClient c = new RawClient(port)) {
            String out = c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                    + "z".repeat(1000)).readAll();
            assertTrue(out.startsWith("HTTP/1.1 200 "), out);
        }
    }

    @Test
    void oversizedHeadIs431AndOversizedUriIs414AsProblems() throws Exception {
        int port = start(limits(Duration.ofSeconds(5)));
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(2000) + "\r\n\r\n").readAll();
            assertTrue(out.startsWith("HTTP/1.1 431 "), out);
            assertTrue(out.contains("application/problem+json") && out.contains("\"status\":431"), out);
        }
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET /" + "u".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n").readAll();
            assertTrue(out.startsWith("HTTP/1.1 414 "), out);
            assertTrue(out.contains(Problem.BASE_URI + "uri-too-long"), out);
        }
    }

    @Test
    void missingHostIs400AndHttp10NeedsNone() throws Exception {
        int port = start(limits(Duration.ofSeconds(5)));
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET /a HTTP/1.1\r\n\r\n").readAll();
            assertTrue(out.startsWith("HTTP/1.1 400 "), out);
            assertTrue(out.contains("Host"), out);
        }
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").readAll();
            assertTrue(out.startsWith("HTTP/1.1 400 "), out);
        }
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET /a HTTP/1.0\r\n\r\n").readAll();
            assertTrue(out.startsWith("HTTP/1.1 200 "), out);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
        int port = start(limits(Duration.ofSeconds(5)));
        try (RawClient c = new RawClient(port)) {
            String out = c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readAll();
            assertEquals("/slow /fast /last", bodies(out), out);
        }
    }

    @Test
    void overTheConnectionLimitA503BeforeReading() throws Exception {
        int port = start(new HttpLimits(1, 1024, 256, 4096, Duration.ofSeconds(5), Duration.ofSeconds(30)));
        try (RawClient first = new RawClient(port)) {
            first.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(first.socket.getInputStream().read() >= 0);
            try (RawClient second = new RawClient(port)) {
                String out = second.readAll();
                assertTrue(out.startsWith("HTTP/1.1 503 "), out);
                assertTrue(out.contains("too-many-connections"), out);
            }
        }
    }

    @Test
    void drainLetsTheAnswerInFlightFinishThenCloses() throws Exception {
        int port = start(limits(Duration.ofSeconds(5)));
        try (RawClient busy = new RawClient(port); RawClient idle = new RawClient(port)) {
            idle.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(idle.socket.getInputStream().read() >= 0);
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(100); // the slow answer is in flight
            connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(HttpServerPipeline.DRAIN));
            String out = busy.readAll(); // returns once the server closes
            assertTrue(out.startsWith("HTTP/1.1 200 ") && out.endsWith("/slow"), out);
            idle.readAll(); // the idle one was closed at once (readAll would time out otherwise)
        }
    }

    /** @return the bodies of the responses in {@code raw}, in the order they arrived, space-separated */
    static String bodies(String raw) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("(?i)content-length: (\\d+)\r\n").matcher(raw);
        int from = 0;
        while (m.find(from)) {
            int start = raw.indexOf("\r\n\r\n", m.end() - 2) + 4;
            int len = Integer.parseInt(m.group(1));
            sb.append(sb.length() == 0 ? "" : " ").append(raw, start, start + len);
            from = start + len;
        }
        return sb.toString();
    }
}
