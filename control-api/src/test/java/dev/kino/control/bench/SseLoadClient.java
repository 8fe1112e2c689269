package dev.kino.control.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The client side of {@link NotificationStreamBenchmark}, run as its own process (10,000 sockets on each side would
 * not fit one process's file limit): opens one SSE stream per ticket, prints {@code READY n} once every stream has
 * its {@code retry:} line, then records when each stream's first {@code notification} event arrives (epoch
 * microseconds) and writes them, one per line ({@code -1}: none within the deadline), once all arrived or the
 * deadline passed; prints {@code DONE n}.
 *
 * <p>Arguments: host, port, tickets file (one per line), output file, deadline in seconds after READY.
 */
public final class SseLoadClient {
    private SseLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        List<String> tickets = Files.readAllLines(Path.of(args[2]));
        Path out = Path.of(args[3]);
        long deadlineSeconds = Long.parseLong(args[4]);
        int n = tickets.size();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch received = new CountDownLatch(n);
        AtomicLongArray at = new AtomicLongArray(n);
        List<Channel> channels = new ArrayList<>(n);
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
            for (int i = 0; i < n; i++) {
                int index = i;
                String request = "GET /api/v1/me/notifications/stream?ticket=" + tickets.get(i) + "&lastEventId=0 HTTP/1.1\r\n"
                        + "Host: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n\r\n";
                ChannelFuture f = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Stream(index, request, ready, received, at));
                    }
                }).connect(host, port);
                channels.add(f.channel());
                if (i % 200 == 199) {
                    f.await(); // paces the connects so the listen backlog is never the bottleneck
                }
            }
            if (!ready.await(120, TimeUnit.SECONDS)) {
                System.out.println("FAILED ready " + (n - ready.getCount()) + " of " + n);
                return;
            }
            System.out.println("READY " + n);
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
        } finally {
            for (Channel c : channels) {
                c.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await();
        }
    }

    /** One stream: sends the request, watches the bytes (chunked framing included) for the two markers. */
    private static final class Stream extends ChannelInboundHandlerAdapter {
        private final int index;
        private final String request;
        private final CountDownLatch ready;
        private final CountDownLatch received;
        private final AtomicLongArray at;
        private final StringBuilder seen = new StringBuilder();
        private boolean isReady;
        private boolean isDone;

        Stream(int index, String request, CountDownLatch ready, CountDownLatch received, AtomicLongArray at) {
            this.index = index;
            this.request = request;
            this.ready = ready;
            this.received = received;
            this.at = at;
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
                } else if (seen.length() > 8192) {
                    seen.delete(0, seen.length() - 64);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
