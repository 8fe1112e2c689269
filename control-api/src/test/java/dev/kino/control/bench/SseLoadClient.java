package dev.kino.control.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client side of {@link NotificationStreamBenchmark}, run as its own process (10,000 sockets on each side would
 * not fit one process's file limit): opens one SSE stream per ticket, as the web app does — a stream answered
 * {@code 503} (the node's bounded queue of blocking work is full while thousands open at once) is tried again after
 * its {@code Retry-After} with the same ticket, which a 503 did not spend. Prints {@code READY n} once every stream has
 * its {@code retry:} line, then records when each stream's first {@code notification} event arrives (epoch
 * microseconds) and writes them, one per line ({@code -1}: none within the deadline), once all arrived or the
 * deadline passed; prints {@code DONE n}.
 *
 * <p>Arguments: host, port, tickets file (one per line), output file, deadline in seconds after {@code GO} on stdin.
 */
public final class SseLoadClient {
    private final String host;
    private final int port;
    private final List<String> tickets;
    private final Bootstrap bootstrap;
    private final EventLoopGroup group;
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final CountDownLatch ready;
    private final CountDownLatch received;
    private final AtomicLongArray at;
    private final Stream[] streams;
    private final AtomicInteger retried = new AtomicInteger();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    private SseLoadClient(String host, int port, List<String> tickets) {
        this.host = host;
        this.port = port;
        this.tickets = tickets;
        int n = tickets.size();
        this.ready = new CountDownLatch(n);
        this.received = new CountDownLatch(n);
        this.at = new AtomicLongArray(n);
        this.streams = new Stream[n];
        this.group = new NioEventLoopGroup(1);
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    public static void main(String[] args) throws Exception {
        SseLoadClient c = new SseLoadClient(args[0], Integer.parseInt(args[1]), Files.readAllLines(Path.of(args[2])));
        try {
            c.run(Path.of(args[3]), Long.parseLong(args[4]));
        } finally {
            c.open.close().await();
            c.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        }
    }

    private void run(Path out, long deadlineSeconds) throws Exception {
        int n = tickets.size();
        for (int i = 0; i < n; i++) {
            ChannelFuture f = connect(i).await();
            for (int attempt = 1; !f.isSuccess() && attempt < 5; attempt++) {
                // a refused or timed-out connect (a full listen backlog): again, as EventSource would
                failures.merge(String.valueOf(f.cause()), 1, Integer::sum);
                Thread.sleep(200);
                f = connect(i).await();
            }
        }
        if (!ready.await(180, TimeUnit.SECONDS)) {
            Map<String, Integer> why = new TreeMap<>();
            for (Stream st : streams) {
                String k = st == null ? "never connected" : st.isReady ? "ready" : String.valueOf(st.status);
                if (why.merge(k, 1, Integer::sum) == 1 && st != null && !st.isReady) {
                    System.out.println("sample " + k + ": " + st.seen.toString().replace("\r\n", " | "));
                }
            }
            System.out.println("FAILED ready " + (n - ready.getCount()) + " of " + n + ": " + why + "; connect failures "
                    + failures);
            return;
        }
        System.out.println("READY " + n + " (503 answers retried: " + retried.get() + ", connect failures retried: "
                + failures + ")");
        System.out.flush();
        // the benchmark says GO on stdin when it triggers the event, so the deadline starts then
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        received.await(deadlineSeconds, TimeUnit.SECONDS);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int i = 0; i < n; i++) {
                long t = at.get(i);
                w.println(t == 0 ? -1 : t);
            }
        }
        System.out.println("DONE " + (n - received.getCount()));
        System.out.flush();
    }

    private ChannelFuture connect(int index) {
        String request = "GET /api/v1/me/notifications/stream?ticket=" + tickets.get(index) + "&lastEventId=0 HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n\r\n";
        return bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                Stream s = new Stream(index, request);
                streams[index] = s;
                open.add(ch);
                ch.pipeline().addLast(s);
            }
        }).connect(host, port);
    }

    /** One stream: sends the request, watches the bytes (chunked framing included) for the two markers. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private final int index;
        private final String request;
        private final StringBuilder seen = new StringBuilder();
        private volatile boolean isReady;
        private volatile String status;
        private boolean isDone;

        Stream(int index, String request) {
            this.index = index;
            this.request = request;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (isDone) {
                    return;
                }
                seen.append(buf.toString(StandardCharsets.UTF_8));
                if (status == null && seen.indexOf("\r\n") > 0) {
                    status = seen.substring(0, seen.indexOf("\r\n"));
                }
                if (!isReady && seen.indexOf("retry:") >= 0) {
                    isReady = true;
                    ready.countDown();
                }
                if (isReady && seen.indexOf("event: notification") >= 0) {
                    Instant now = Instant.now();
                    at.set(index, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
                    isDone = true;
                    received.countDown();
                    seen.setLength(0);
                } else if (isReady && seen.length() > 8192) {
                    seen.delete(0, seen.length() - 64);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!isReady && status != null && status.contains(" 503 ")) {
                retried.incrementAndGet();
                ctx.channel().eventLoop().schedule(() -> connect(index), 1, TimeUnit.SECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
