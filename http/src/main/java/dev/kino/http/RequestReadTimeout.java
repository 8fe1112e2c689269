package dev.kino.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris protection for HTTP/1.1: once the first byte of a request arrives, its whole head (request line and
 * header fields) must arrive within the read timeout; then its body must arrive within the read timeout plus one
 * second per {@code minBodyBytesPerSecond} bytes received (Apache mod_reqtimeout's {@code body=…,MinRate=…}).
 * Otherwise the connection is closed. Two handlers share the state: {@link #bytes()} sits before the HTTP decoder,
 * counts bytes and runs the clock, {@link #requests()} sits after it and sees where a request's head and body end.
 * Idle time between requests is the idle timeout's business, not this one's. One instance per connection.
 */
public final class RequestReadTimeout {
    private final long timeoutNanos;
    private final long nanosPerBodyByte;
    /** The body's timer (a body is rare on these servers: a task per body is fine). */
    private ScheduledFuture<?> timer;
    /**
     * When the head being read must be complete ({@link System#nanoTime}), 0 when no head is being read. One check
     * task per connection follows it ({@link #headCheck}), re-armed only when it fires early: scheduling and
     * cancelling a task for every request head showed in the media server's playlist profile (6 %).
     */
    private long headDeadline;
    private ScheduledFuture<?> headCheck;
    private boolean inBody;
    /** When the body deadline started, and how many body bytes arrived since. */
    private long bodyStart;
    private long bodyBytes;

    /** @param timeout time allowed for a whole request head; bodies get the default minimum rate too */
    public RequestReadTimeout(Duration timeout) {
        this(timeout, HttpLimits.DEFAULT_MIN_BODY_RATE);
    }

    /**
     * @param timeout time allowed for a whole request head, and the base allowance of a body
     * @param minBodyBytesPerSecond each this many body bytes extend the body's deadline by a second
     */
    public RequestReadTimeout(Duration timeout, int minBodyBytesPerSecond) {
        this.timeoutNanos = timeout.toNanos();
        this.nanosPerBodyByte = Math.max(1, 1_000_000_000L / minBodyBytesPerSecond);
    }

    /** @return the handler to put before the HTTP decoder */
    public ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b && b.isReadable()) {
                    if (inBody) {
                        bodyBytes += b.readableBytes();
                    } else if (headDeadline == 0) {
                        headDeadline = Math.max(1, System.nanoTime() + timeoutNanos);
                        if (headCheck == null) {
                            armHeadCheck(ctx, timeoutNanos);
                        }
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancelAll();
                ctx.fireChannelInactive();
            }
        };
    }

    /** @return the handler to put right after the HTTP decoder (before any aggregator) */
    public ChannelInboundHandlerAdapter requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest req) {
                    headDeadline = 0; // the head is complete; a pending check lapses when it fires
                    cancel();
                    inBody = true;
                    bodyBytes = 0;
                    if (!(msg instanceof LastHttpContent) && hasBody(req)) {
                        bodyStart = System.nanoTime();
                        armBody(ctx);
                    }
                }
                if (msg instanceof LastHttpContent) {
                    cancel();
                    inBody = false;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /**
     * Whether a request head announces a body (RFC 9112 §6.3: a request without {@code Content-Length} or
     * {@code Transfer-Encoding} has none, nor has one with {@code Content-Length: 0}): the decoder hands on such a
     * head's empty last content at once, in the same read, so it needs no body timer. Scheduling and cancelling one
     * for every {@code GET} showed in the media server's playlist profile.
     */
    private static boolean hasBody(HttpRequest req) {
        if (req.headers().contains(io.netty.handler.codec.http.HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        String length = req.headers().get(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.equals("0"); // anything odd is timed as a body, as before
    }

    private void armBody(ChannelHandlerContext ctx) {
        long deadline = bodyStart + timeoutNanos + satMul(bodyBytes, nanosPerBodyByte);
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            ctx.close();
            return;
        }
        timer = ctx.executor().schedule(() -> {
            timer = null;
            if (inBody) {
                // Bytes that arrived meanwhile moved the deadline: check again rather than cut a fast upload.
                armBody(ctx);
            }
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void armHeadCheck(ChannelHandlerContext ctx, long nanos) {
        headCheck = ctx.executor().schedule(() -> {
            headCheck = null;
            if (headDeadline == 0) {
                return; // no head being read now
            }
            long left = headDeadline - System.nanoTime();
            if (left <= 0) {
                ctx.close();
            } else {
                armHeadCheck(ctx, left); // a later head than the one this check was armed for
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private static long satMul(long a, long b) {
        long p = a * b;
        return Math.multiplyHigh(a, b) != 0 || p < 0 ? Long.MAX_VALUE / 2 : Math.min(p, Long.MAX_VALUE / 2);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void cancelAll() {
        cancel();
        headDeadline = 0;
        if (headCheck != null) {
            headCheck.cancel(false);
            headCheck = null;
        }
    }
}
