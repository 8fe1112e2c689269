package dev.kino.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Refuses, before the application sees them, HTTP/1.1 requests that are not valid HTTP: a request line longer
 * than the URI limit ({@code 414}), a head larger than the header limit ({@code 431}), anything else the decoder
 * could not parse ({@code 400}), and an HTTP/1.1 request without exactly one {@code Host} header ({@code 400}, RFC
 * 9112 §3.2). Each answer is a problem and closes the connection, since the decoder's position in the byte stream
 * can no longer be trusted. Sits after {@link ResponseOrder}, so these answers keep their place in line too.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private final HttpLimits limits;

    RequestGuard(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Problem problem = check(request);
        if (problem == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean head = HttpMethod.HEAD.equals(request.method());
        request.release();
        FullHttpResponse r = problem.response(!head, "no-store");
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    private Problem check(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable c = request.decoderResult().cause();
            if (c instanceof TooLongHttpLineException) {
                return Problem.of("uri-too-long", "URI too long", 414,
                        "the request line is longer than " + limits.maxUriBytes() + " bytes");
            }
            if (c instanceof TooLongHttpHeaderException) {
                return Problem.of("headers-too-large", "Request header fields too large", 431,
                        "the request head is larger than " + limits.maxHeaderBytes() + " bytes");
            }
            if (c instanceof TooLongFrameException) {
                return Problem.of("headers-too-large", "Request header fields too large", 431,
                        "a request header field is too large");
            }
            return Problem.of("bad-request", "Bad request", 400, "the request is not valid HTTP/1.1");
        }
        if (request.uri().length() > limits.maxUriBytes()) {
            return Problem.of("uri-too-long", "URI too long", 414,
                    "the request URI is longer than " + limits.maxUriBytes() + " bytes");
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                && request.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            return Problem.of("bad-request", "Bad request", 400,
                    "an HTTP/1.1 request needs exactly one Host header field (RFC 9112 §3.2)");
        }
        return null;
    }
}
