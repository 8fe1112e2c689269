package dev.kino.control.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.util.Map;

/**
 * Serves the {@link WebApp} in the control API's Netty pipeline, after the aggregator and before the API's
 * request handler. Requests for the web app (files, {@code /} and the app's routes) are answered here from
 * memory, on the event loop (nothing blocks); everything else, {@code /api/…} included, goes on unchanged
 * to the next handler.
 *
 * <pre>{@code
 * WebAppHandler web = new WebAppHandler(WebApp.fromClasspath());   // once, shared by every channel
 * pipeline.addLast("codec", new HttpServerCodec())
 *         .addLast("keepAlive", new HttpServerKeepAliveHandler())
 *         .addLast("aggregator", new ProblemAggregator(maxBody))
 *         .addLast("web", web)
 *         .addLast("handler", new RequestHandler(router, authenticator, blocking, cursorKey, metrics));
 * }</pre>
 */
@ChannelHandler.Sharable
public final class WebAppHandler extends ChannelInboundHandlerAdapter {
    private final WebApp app;

    /** @param app the files to serve */
    public WebAppHandler(WebApp app) {
        this.app = app;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req) || !req.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        WebApp.Reply reply = app.respond(req.method().name(), req.uri(),
                req.headers().get(HttpHeaderNames.IF_NONE_MATCH), req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        if (reply == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean keepAlive;
        try {
            keepAlive = HttpUtil.isKeepAlive(req);
        } finally {
            ReferenceCountUtil.release(msg);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(req.protocolVersion(),
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            resp.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setKeepAlive(resp, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(resp);
        } else {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
