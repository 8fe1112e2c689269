package dev.kino.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * HTTP/1.1 pipelining (RFC 9112 §9.3.2): answers go out in request order, so a request is handed to the
 * application only once the previous answer is completely written. Requests the decoder produced meanwhile wait
 * here (reading pauses while {@value #MAX_QUEUED} wait). Sits after the aggregator; one instance per connection.
 *
 * <p>It also owns the connection's end of life: an idle timeout ({@link IdleStateEvent}) closes it; a drain
 * ({@link HttpServerPipeline#DRAIN}) closes it at once when no request is in flight, else right after the answer
 * being written, so no answer is cut in half.
 */
final class ResponseOrder extends ChannelDuplexHandler {
    static final int MAX_QUEUED = 16;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean inFlight;
    private boolean closeWhenDone;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closeWhenDone) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inFlight) {
            waiting.add(request);
            if (waiting.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        inFlight = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener(f -> ctx.executor().execute(() -> answered(ctx, f.isSuccess())));
        }
        ctx.write(msg, promise);
    }

    private void answered(ChannelHandlerContext ctx, boolean ok) {
        inFlight = false;
        if (!ok || closeWhenDone || !ctx.channel().isActive()) {
            releaseWaiting();
            ctx.close();
            return;
        }
        FullHttpRequest next = waiting.poll();
        if (!ctx.channel().config().isAutoRead() && waiting.size() < MAX_QUEUED / 2) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
        if (next != null) {
            inFlight = true;
            ctx.fireChannelRead(next);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // No traffic either way for the idle timeout: an answer in flight is stuck (its client reads
            // nothing), so waiting for it would keep the connection for good.
            releaseWaiting();
            ctx.close();
            return;
        }
        if (evt == HttpServerPipeline.DRAIN) {
            if (inFlight) {
                closeWhenDone = true;
            } else {
                releaseWaiting();
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    private void releaseWaiting() {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
    }
}
