package dev.kino.media.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris protection: once the first byte of a request arrives, its whole head (request line and
 * header fields) must arrive within the read timeout, or the connection is closed. Two handlers share
 * the state: {@link #bytes()} sits before the HTTP decoder and starts the clock, {@link #requests()}
 * sits after it and stops the clock when the decoder emits the request head. Idle time between requests
 * is the idle timeout's business, not this one's. One instance per connection.
 */
public final class RequestHeadTimeout {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean inBody;

    /** @param timeout time allowed for a whole request head */
    public RequestHeadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /** @return the handler to put before the HTTP decoder */
    public ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b && b.isReadable() && !inBody && timer == null) {
                    timer = ctx.executor().schedule(() -> {
                        timer = null;
                        ctx.close();
                    }, timeoutNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    /** @return the handler to put right after the HTTP decoder (before any aggregator) */
    public ChannelInboundHandlerAdapter requests() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    cancel();
                    inBody = true;
                }
                if (msg instanceof LastHttpContent) {
                    inBody = false;
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
