package dev.kino.control.http.internal;

import dev.kino.control.http.Response;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Writes a {@link Response.EventStream}: the head (200, chunked, no caching, no proxy buffering), then whatever the
 * stream sends, as chunks, until either side closes. A client slower than the events (the channel's outbound buffer
 * over its high-water mark, Netty's default 64 KiB) is disconnected rather than buffered for: it resumes by replay.
 */
final class EventStreams {
    private EventStreams() {
    }

    /**
     * Called on the connection's event loop.
     *
     * @return the write of the head
     */
    static ChannelFuture start(ChannelHandlerContext ctx, Map<String, String> headers, Response.EventStream stream) {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = head.headers();
        headers.forEach(h::set);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Accel-Buffering", "no"); // nginx in front: pass events through at once
        HttpUtil.setTransferEncodingChunked(head, true);
        ChannelFuture written = ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        stream.open(new Sink(ctx));
        return written;
    }

    private static final class Sink implements Response.EventSink {
        private final ChannelHandlerContext ctx;

        Sink(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public boolean send(String text) {
            if (!ctx.channel().isActive()) {
                return false;
            }
            if (!ctx.executor().inEventLoop()) {
                ctx.executor().execute(() -> send(text));
                return true;
            }
            if (!ctx.channel().isWritable()) { // the client is not reading: drop it, it resumes by replay
                ctx.close();
                return false;
            }
            ctx.writeAndFlush(new DefaultHttpContent(ByteBufUtil.writeUtf8(ctx.alloc(), text)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            return true;
        }

        @Override
        public void close() {
            if (!ctx.executor().inEventLoop()) {
                ctx.executor().execute(this::close);
                return;
            }
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public boolean isOpen() {
            return ctx.channel().isActive();
        }

        @Override
        public void onClose(Runnable task) {
            ctx.channel().closeFuture().addListener(f -> task.run());
        }

        @Override
        public Executor executor() {
            return ctx.executor();
        }
    }
}
