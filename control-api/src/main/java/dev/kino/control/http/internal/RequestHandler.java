package dev.kino.control.http.internal;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.Authenticator;
import dev.kino.control.http.CursorKey;
import dev.kino.control.http.Json;
import dev.kino.control.http.ProblemType;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import dev.kino.control.BadRequestException;
import dev.kino.control.UnavailableException;
import dev.kino.control.http.TextInput;
import dev.kino.control.metrics.ApiMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Copies each aggregated request out of Netty's buffers, matches its route, runs authentication and the handler
 * on the route's executor ({@link Router.RouteBuilder#executor}) or else the blocking executor, and writes the answer
 * back on the channel's event loop; a request an executor refuses is answered 503 from the event loop. One instance
 * per channel. The shared pipeline hands it the next pipelined request only once the previous answer is written
 * ({@code dev.kino.http.HttpServerPipeline}), so answers go out in request order (RFC 9112 §9.3.2). Each answer is
 * counted in {@link ApiMetrics} by route template and status once written.
 */
public final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final Router router;
    private final Authenticator authenticator;
    private final Executor executor;
    private final CursorKey cursorKey;
    private final ApiMetrics metrics;

    public RequestHandler(Router router, Authenticator authenticator, Executor executor, CursorKey cursorKey,
                          ApiMetrics metrics) {
        this.router = router;
        this.authenticator = authenticator;
        this.executor = executor;
        this.cursorKey = cursorKey;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        long started = System.nanoTime();
        String method = msg.method().name();
        if (!msg.decoderResult().isSuccess()) {
            Problems.Answer a = Problems.of(ApiException.of(ProblemType.BAD_REQUEST, "malformed HTTP request: "
                    + msg.decoderResult().cause().getMessage()), "/");
            write(ctx, a.status(), a.headers(), a.body().shared().json(), true, false)
                    .addListener(counted(method, ApiMetrics.UNMATCHED, a.status(), started));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
        // the decoder's own headers object (a new one per request; only the body is a buffer released after this
        // method), not a copy: copying validated every header name again on the event loop for every request
        HttpHeaders headers = msg.headers();
        Request request = new Request(msg.method(), uri.path(), uri.parameters(), headers,
                ByteBufUtil.getBytes(msg.content()), (InetSocketAddress) ctx.channel().remoteAddress(), cursorKey);
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        String utf8 = TextInput.utf8Problem(uri.rawQuery());
        // matched here (string comparisons, no I/O) so that a route with an executor of its own is handed to it
        // directly; null: a 404 or 405 (or a path routing cannot read), which dispatch answers as before
        Router.Match match = matchOrNull(request);
        Executor target = match != null && match.route().executor() != null ? match.route().executor() : executor;
        try {
            target.execute(() -> {
                java.util.function.Consumer<Answer> send = answer -> ctx.executor().execute(() -> {
                    // an event stream counts once its head is written; its duration is the time to the head
                    ChannelFuture written = answer.stream != null
                            ? EventStreams.start(ctx, answer.headers, answer.stream)
                            : write(ctx, answer.status, answer.headers, answer.body, !keepAlive, answer.problem);
                    written.addListener(counted(method, answer.route, answer.status, started));
                });
                if (ctx.executor().inEventLoop()) {
                    // a caller-runs executor: never block the event loop with a handler
                    LOG.error("the executor of {} {} ran a request on the event loop (caller-runs or direct);"
                            + " answered 503", method, match == null ? request.path() : match.route().template());
                    send.accept(busy(request, match, null));
                } else if (utf8 != null) {
                    send.accept(problem(new BadRequestException(utf8), request));
                } else {
                    dispatch(request, match, send);
                }
            });
        } catch (RejectedExecutionException e) {
            Answer a = busy(request, match, e);
            write(ctx, a.status, a.headers, a.body, !keepAlive, true)
                    .addListener(counted(method, a.route, a.status, started));
        }
    }

    /** @return the request's route, or null when none matches or routing fails (dispatch then routes it again) */
    private Router.Match matchOrNull(Request request) {
        try {
            return router.match(request.method(), request.path());
        } catch (RuntimeException e) {
            return null; // dispatch's router.resolve answers it, off the event loop, as it did before this lookup
        }
    }

    /**
     * @param rejection what the executor threw, or null
     * @return 503 {@code unavailable}: the rejection's {@link UnavailableException} cause when it has one (a pool
     *         naming its queue), else the server is busy, {@code Retry-After: 1}
     */
    private static Answer busy(Request request, Router.Match match, RejectedExecutionException rejection) {
        Throwable problem = rejection != null && rejection.getCause() instanceof UnavailableException named ? named
                : ApiException.of(ProblemType.UNAVAILABLE, "the server is busy; retry shortly")
                        .withHeader("Retry-After", "1");
        return problem(problem, request, match == null ? ApiMetrics.UNMATCHED : match.route().template());
    }

    /** @return a listener that counts the answer once it is written (or failed to be) */
    private ChannelFutureListener counted(String method, String route, int status, long started) {
        return f -> metrics.request(method, route, status, System.nanoTime() - started);
    }

    /** @param route the matched route template (the metrics label), {@link ApiMetrics#UNMATCHED} when none */
    private record Answer(int status, Map<String, String> headers, byte[] body, boolean problem,
                          Response.EventStream stream, String route) {
        Answer(int status, Map<String, String> headers, byte[] body, boolean problem, String route) {
            this(status, headers, body, problem, null, route);
        }
    }

    private static Answer problem(Throwable t, Request request) {
        Problems.Answer a = Problems.of(t, request.path());
        return new Answer(a.status(), a.headers(), a.body().shared().json(), true, ApiMetrics.UNMATCHED);
    }

    /**
     * Checks the text, authenticates and runs the handler, then gives its answer to {@code send}: at once, or when a
     * {@link Response.Later} answer completes (this thread is then free before it does).
     *
     * @param matched the route matched on the event loop, or null: then routing throws the 404 or 405 here, after
     *                the text check as for a matched route
     */
    private void dispatch(Request request, Router.Match matched, java.util.function.Consumer<Answer> send) {
        String route = ApiMetrics.UNMATCHED;
        try {
            request.checkText();
            Router.Match match = matched != null ? matched : router.resolve(request.method(), request.path());
            route = match.route().template();
            Object principal = null;
            if (match.route().doc().authenticated()) {
                principal = authenticate(request, match.route());
            }
            request.bind(match.params(), principal);
            Response response = match.route().handler().handle(request);
            if (response.body() instanceof Response.Later later) {
                String r = route;
                later.answer().whenComplete((done, failed) -> send.accept(failed != null
                        ? problem(failed instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                ? c.getCause() : failed, request, r)
                        : answer(done, request, r)));
                return;
            }
            send.accept(answer(response, request, route));
        } catch (Throwable t) {
            send.accept(problem(t, request, route));
        }
    }

    /** @return the answer of a handler's response (serialised here, off the event loop) */
    private static Answer answer(Response response, Request request, String route) {
        try {
            if (response.body() instanceof Response.EventStream stream) {
                return new Answer(response.status(), response.headers(), null, false, stream, route);
            }
            if (response.body() instanceof Response.Later) {
                throw new IllegalStateException("a later answer completed with another later answer");
            }
            byte[] body = response.body() == null ? null
                    : response.body() instanceof Response.Bytes raw ? raw.bytes()
                    : Json.MAPPER.writeValueAsBytes(response.body());
            return new Answer(response.status(), response.headers(), body, false, route);
        } catch (Throwable t) {
            return problem(t, request, route);
        }
    }

    private static Answer problem(Throwable t, Request request, String route) {
        Problems.Answer a = Problems.of(t, request.path());
        return new Answer(a.status(), a.headers(), a.body().shared().json(), true, route);
    }

    private Object authenticate(Request request, dev.kino.control.http.Route route) {
        String token = request.bearerToken();
        if (token == null) {
            throw ApiException.of(ProblemType.UNAUTHORIZED, "this request needs an 'Authorization: Bearer' access token")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"kino\"");
        }
        try {
            return authenticator.authenticate(token, route);
        } catch (ApiException e) {
            if (e.type().status() == 401 && !e.headers().containsKey("WWW-Authenticate")) {
                throw e.withHeader("WWW-Authenticate", "Bearer realm=\"kino\", error=\"invalid_token\"");
            }
            throw e;
        }
    }

    private static ChannelFuture write(ChannelHandlerContext ctx, int status, Map<String, String> headers, byte[] body,
                                       boolean close, boolean problem) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        if (body != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, problem ? "application/problem+json" : "application/json");
        }
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        headers.forEach(h::set);
        if (close) {
            HttpUtil.setKeepAlive(response, false);
            return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        return ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
