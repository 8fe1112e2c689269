package dev.kino.media.http;

import dev.kino.http.ContentCoding;
import dev.kino.http.Conditional;
import dev.kino.http.Cors;
import dev.kino.http.HttpServerPipeline;
import dev.kino.media.MediaException;
import dev.kino.media.file.ByteRange;
import dev.kino.media.file.ClearKeyMpd;
import dev.kino.media.file.FileKind;
import dev.kino.media.file.FileMeta;
import dev.kino.media.file.FileType;
import dev.kino.media.file.MediaFiles;
import dev.kino.media.file.MediaPath;
import dev.kino.media.key.ClearKeyLicense;
import dev.kino.media.key.TitleKeys;
import dev.kino.media.key.WidevineProxy;
import dev.kino.protocol.key.ClearKeyLicenceRequest;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.PlaybackClaims;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers the requests of one connection, one at a time and in order (pipelined requests wait in a
 * small queue; reading pauses while it is full). Routing:
 *
 * <pre>
 * OPTIONS *                                   CORS preflight, 204, no token needed
 * GET|HEAD /v/{token}/{title}/{path…}         published file (allow-listed types), 200/206/304/416
 * GET|HEAD /v/{token}/{title}/keys/{kid}      HLS AES-128 key, 16 bytes, private, no-store
 * POST     /v/{token}/{title}/license/clearkey  ClearKey licence (JSON)
 * POST     /v/{token}/{title}/license/widevine  Widevine licence proxy (when configured)
 * </pre>
 *
 * <p>Order of checks: path syntax (400/404, {@link MediaPath}), then the token (403/410), then take-down
 * (404), then the resource. The event loop never touches the file system: opens, stats and key-file
 * reads run on the bounded blocking executor and the answer is written back on the loop. File bodies go
 * out as a zero-copy {@link DefaultFileRegion} over plain TCP, or as {@link HttpChunkedInput} chunks
 * when the connection is TLS-encrypted. MPDs of titles with a CENC key are the exception: they are sent from
 * memory with a DASH-IF ClearKey ContentProtection naming this token's licence URL ({@link ClearKeyMpd}).
 */
public final class MediaHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** User event that asks an idle connection to close (shutdown). */
    public static final Object DRAIN = HttpServerPipeline.DRAIN;

    private static final Logger LOG = LoggerFactory.getLogger(MediaHandler.class);
    private static final String WIDEVINE_LICENSE = "license/widevine";
    private static final int MAX_QUEUED = 8;
    private static final int CHUNK = 16 * 1024;

    private final ServerContext sc;
    private final boolean chunkedFiles;
    private final ArrayDeque<Req> queue = new ArrayDeque<>();
    private boolean busy;

    /**
     * @param sc shared server state
     * @param chunkedFiles true under TLS: send files as chunks instead of a zero-copy region
     */
    public MediaHandler(ServerContext sc, boolean chunkedFiles) {
        this.sc = sc;
        this.chunkedFiles = chunkedFiles;
    }

    /** What is kept of a request once its ByteBufs are released. */
    private static final class Req {
        final HttpMethod method;
        final String uri;
        final String protocol;
        final HttpHeaders headers;
        final byte[] body;
        final MediaException decodeError;
        final long start = System.nanoTime();
        String kind = "other";

        Req(FullHttpRequest r, MediaException decodeError) {
            this.method = r.method();
            this.uri = r.uri();
            this.protocol = r.protocolVersion().text();
            this.headers = new DefaultHttpHeaders().set(r.headers());
            this.body = decodeError == null && r.content().isReadable() ? ByteBufUtil.getBytes(r.content()) : new byte[0];
            this.decodeError = decodeError;
        }

        String header(CharSequence name) {
            return headers.get(name);
        }

        boolean head() {
            return method.equals(HttpMethod.HEAD);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        MediaException decodeError = null;
        if (msg.decoderResult().isFailure()) {
            Throwable c = msg.decoderResult().cause();
            if (c instanceof TooLongHttpLineException) {
                decodeError = new MediaException(414, "uri-too-long", "URI too long",
                        "the request line is longer than " + sc.limits().maxUriBytes() + " bytes");
            } else if (c instanceof TooLongHttpHeaderException) {
                decodeError = new MediaException(431, "headers-too-large", "Request header fields too large",
                        "the request head is larger than " + sc.limits().maxHeaderBytes() + " bytes");
            } else {
                decodeError = new MediaException(400, "bad-request", "Bad request", "the request is not valid HTTP/1.1");
            }
        }
        Req r = new Req(msg, decodeError);
        if (busy) {
            queue.add(r);
            if (queue.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        process(ctx, r);
    }

    private void process(ChannelHandlerContext ctx, Req r) {
        busy = true;
        try {
            if (r.decodeError != null) {
                FullHttpResponse resp = Problems.response(r.decodeError, true);
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                send(ctx, r, resp).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            route(ctx, r);
        } catch (RuntimeException e) {
            sendError(ctx, r, e);
        }
    }

    private void route(ChannelHandlerContext ctx, Req r) {
        if (r.method.equals(HttpMethod.OPTIONS)) {
            r.kind = "preflight";
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            resp.headers().set(HttpHeaderNames.ALLOW, Cors.ALLOW_METHODS);
            sc.cors().preflight(r.header(HttpHeaderNames.ORIGIN), resp.headers());
            send(ctx, r, resp);
            return;
        }
        if (r.uri.length() > sc.limits().maxUriBytes()) {
            throw new MediaException(414, "uri-too-long", "URI too long",
                    "the request URI is longer than " + sc.limits().maxUriBytes() + " bytes");
        }
        int q = r.uri.indexOf('?');
        String path = q < 0 ? r.uri : r.uri.substring(0, q);
        MediaPaths.TokenizedPath split = MediaPaths.split(path)
                .orElseThrow(() -> MediaException.notFound("no such resource"));
        MediaPath mp = MediaPath.parse(split.path());
        // NOTE: protocol/TOKENS.md §5: the ACL is matched against the path as received, never decoded or
        // normalised, exactly as a CDN edge would check it; a path that needed decoding is refused (403).
        PlaybackClaims claims = sc.gate().check(split.token(), split.path(), clientAddress(ctx));
        if (sc.revocations().isRevoked(mp.title().value())) {
            throw MediaException.notFound("this title is not available");
        }
        List<String> s = mp.segments();
        String rest = String.join("/", s);
        Runnable dispatch;
        if (s.size() == 2 && s.get(0).equals(MediaPaths.KEYS_DIR)) {
            r.kind = "key";
            requireGetOrHead(r);
            dispatch = () -> key(ctx, r, mp, s.get(1));
        } else if (rest.equals(MediaPaths.CLEARKEY_LICENSE)) {
            r.kind = "licence";
            requirePost(r);
            dispatch = () -> clearKey(ctx, r, mp);
        } else if (rest.equals(WIDEVINE_LICENSE) && sc.widevine() != null) {
            r.kind = "licence";
            requirePost(r);
            dispatch = () -> widevine(ctx, r, mp, sc.widevine());
        } else {
            FileType type = FileType.of(mp.fileName()).orElseThrow(() -> MediaException.notFound("no such file"));
            r.kind = type.kind().label();
            requireGetOrHead(r);
            dispatch = () -> file(ctx, r, mp, type, split.token());
        }
        // Stream leases on playlists, keys and licences only: segments never wait on shared state.
        boolean leased = r.kind.equals("key") || r.kind.equals("licence") || r.kind.equals(FileKind.PLAYLIST.label());
        if (sc.leases() != null && leased) {
            onLoop(ctx, r, sc.leases().check(claims), v -> { }, v -> dispatch.run());
        } else {
            dispatch.run();
        }
    }

    private static void requireGetOrHead(Req r) {
        if (!r.method.equals(HttpMethod.GET) && !r.method.equals(HttpMethod.HEAD)) {
            throw new MethodNotAllowedException("GET, HEAD, OPTIONS");
        }
    }

    private static void requirePost(Req r) {
        if (!r.method.equals(HttpMethod.POST)) {
            throw new MethodNotAllowedException("POST, OPTIONS");
        }
    }

    // ---- files

    /**
     * A file ready to answer: either an open channel (identity, zero-copy) or bytes in memory (the gzip
     * representation, or an MPD with this viewer's licence URL).
     *
     * @param meta the file as opened
     * @param etag the strong entity tag of this representation
     * @param channel the open file, or null when {@code bytes} is the body
     * @param bytes the body in memory, or null
     * @param gzip true when {@code bytes} is gzip-compressed
     */
    private record Prepared(FileMeta meta, String etag, FileChannel channel, byte[] bytes, boolean gzip) {
        static Prepared file(MediaFiles.OpenFile of) {
            return new Prepared(of.meta(), of.meta().etag(), of.channel(), null, false);
        }

        long length() {
            return bytes != null ? bytes.length : meta.size();
        }

        void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private void file(ChannelHandlerContext ctx, Req r, MediaPath mp, FileType type, String token) {
        boolean gzip = type.kind() == FileKind.PLAYLIST && r.header(HttpHeaderNames.RANGE) == null
                && ContentCoding.prefersGzip(r.header(HttpHeaderNames.ACCEPT_ENCODING));
        MediaFiles files = sc.files();
        CompletableFuture<Prepared> f;
        if (type.contentType().equals(FileType.MPD_CONTENT_TYPE)) {
            // Protected titles (a cenc key) get the licence URL of this token in their MPD; the key lookup is
            // cached and completes off the event loop on a miss. A failed lookup serves the MPD as it is.
            f = sc.keys().keysOf(mp.title().value())
                    .handle((keys, e) -> e == null && keys.values().stream().anyMatch(k -> k.scheme().equals("cenc"))
                            ? licenceUrl(token, mp) : null)
                    .thenCompose(url -> blocking(() -> prepare(files, mp, gzip, url)));
        } else {
            f = CompletableFuture.supplyAsync(() -> prepare(files, mp, gzip, null), sc.blocking());
        }
        onLoop(ctx, r, f, Prepared::close, p -> respondFile(ctx, r, type, p));
    }

    /** The absolute ClearKey licence URL of this token and title, or null if it cannot be built. */
    private String licenceUrl(String token, MediaPath mp) {
        try {
            return sc.publicUrl() + MediaPaths.clearKeyLicense(token, mp.title());
        } catch (IllegalArgumentException e) {
            return null; // not a path-safe token: the gate let it through, so this does not happen
        }
    }

    private <T> CompletableFuture<T> blocking(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, sc.blocking());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Blocking: opens the file and prepares its body; {@code licenceUrl} non-null for a protected MPD. */
    private static Prepared prepare(MediaFiles files, MediaPath mp, boolean gzip, String licenceUrl) {
        MediaFiles.OpenFile of = files.openBlocking(mp);
        try {
            if (licenceUrl != null) {
                Prepared p = withLicenceUrl(files, mp, of, gzip, licenceUrl);
                if (p != null) {
                    Prepared.file(of).close();
                    return p;
                }
            }
            if (gzip) {
                byte[] gz = files.gzipBlocking(mp, of.meta());
                if (gz != null) {
                    Prepared.file(of).close();
                    return new Prepared(of.meta(), gzipTag(of.meta().etag()), null, gz, true);
                }
            }
        } catch (RuntimeException e) {
            Prepared.file(of).close();
            throw e;
        }
        return Prepared.file(of);
    }

    /**
     * The MPD with the DASH-IF ClearKey ContentProtection for {@code licenceUrl}, or null to serve the file as
     * it is (nothing to add, or it could not be done: never an error for the player). Its entity tag is the
     * file's plus a hash of the URL, so every (file version, token) has its own strong tag.
     */
    private static Prepared withLicenceUrl(MediaFiles files, MediaPath mp, MediaFiles.OpenFile of, boolean gzip,
                                           String licenceUrl) {
        byte[] body;
        try {
            ClearKeyMpd plan = files.clearKeyMpdBlocking(mp, of);
            if (!plan.changes()) {
                return null;
            }
            body = plan.render(licenceUrl);
        } catch (RuntimeException e) {
            LOG.warn("{}: served without the per-viewer ClearKey licence URL", mp.relative(), e);
            return null;
        }
        String fileTag = of.meta().etag();
        String etag = fileTag.substring(0, fileTag.length() - 1) + "-ck" + urlHash(licenceUrl) + "\"";
        return gzip ? new Prepared(of.meta(), gzipTag(etag), null, MediaFiles.gzip(body), true)
                : new Prepared(of.meta(), etag, null, body, false);
    }

    private static String gzipTag(String etag) {
        return etag.substring(0, etag.length() - 1) + "-gz\"";
    }

    /** 64 bits of SHA-256 of the URL, hex: tells tokens apart in an entity tag without revealing them. */
    private static String urlHash(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private void respondFile(ChannelHandlerContext ctx, Req r, FileType type, Prepared p) {
        FileMeta m = p.meta();
        String etag = p.etag();
        long fullLength = p.length();
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.CACHE_CONTROL, sc.cache().cacheControl(type.kind()));
        h.set(HttpHeaderNames.ETAG, etag);
        h.set(HttpHeaderNames.LAST_MODIFIED, m.lastModifiedHttp());
        if (type.kind() == FileKind.PLAYLIST) {
            h.set(HttpHeaderNames.VARY, "Accept-Encoding");
        }
        if (Conditional.notModified(r.header(HttpHeaderNames.IF_NONE_MATCH),
                r.header(HttpHeaderNames.IF_MODIFIED_SINCE), etag, m.lastModified())) {
            p.close();
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            resp.headers().set(h);
            // RFC 9110 §8.6: a 304 may carry the length the 200 would have had (it keeps the connection alive).
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, fullLength);
            send(ctx, r, resp);
            return;
        }
        h.set(HttpHeaderNames.CONTENT_TYPE, type.contentType());
        if (p.gzip()) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    r.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(p.bytes()));
            resp.headers().set(h).set(HttpHeaderNames.CONTENT_LENGTH, fullLength);
            send(ctx, r, resp);
            return;
        }
        h.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        // RFC 9110 §14.2: Range is defined for GET only; HEAD answers as a plain GET would.
        ByteRange range = r.method.equals(HttpMethod.GET)
                && Conditional.rangeAllowed(r.header(HttpHeaderNames.IF_RANGE), etag, m.lastModified())
                ? ByteRange.parse(r.header(HttpHeaderNames.RANGE), fullLength) : ByteRange.FULL;
        long offset = 0;
        long length = fullLength;
        HttpResponseStatus status = HttpResponseStatus.OK;
        if (range instanceof ByteRange.Unsatisfiable u) {
            p.close();
            FullHttpResponse resp = Problems.response(new MediaException(416, "range-not-satisfiable",
                    "Range not satisfiable", "the file is " + fullLength + " bytes long"), !r.head());
            resp.headers().set(HttpHeaderNames.CONTENT_RANGE, u.contentRange());
            resp.headers().set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
            send(ctx, r, resp);
            return;
        } else if (range instanceof ByteRange.Partial part) {
            status = HttpResponseStatus.PARTIAL_CONTENT;
            offset = part.first();
            length = part.length();
            h.set(HttpHeaderNames.CONTENT_RANGE, part.contentRange());
        }
        if (p.bytes() != null) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, r.head()
                    ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(p.bytes(), (int) offset, (int) length));
            resp.headers().set(h).set(HttpHeaderNames.CONTENT_LENGTH, length);
            send(ctx, r, resp);
            return;
        }
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        resp.headers().set(h).set(HttpHeaderNames.CONTENT_LENGTH, length);
        decorate(r, resp.headers());
        ctx.write(resp);
        ChannelFuture last;
        long sent = 0;
        if (r.head() || length == 0) {
            p.close();
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (chunkedFiles) {
            try {
                last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(p.channel(), offset, length, CHUNK)));
            } catch (IOException e) {
                p.close();
                ctx.close();
                return;
            }
            sent = length;
        } else {
            ctx.write(new DefaultFileRegion(p.channel(), offset, length));
            last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            sent = length;
        }
        finish(ctx, r, status.code(), sent, last);
    }

    // ---- keys and licences

    private void key(ChannelHandlerContext ctx, Req r, MediaPath mp, String kidText) {
        String kid = kidText.toLowerCase(Locale.ROOT);
        if (!kid.matches("[0-9a-f]{32}")) {
            throw noSuchKey();
        }
        onLoop(ctx, r, sc.keys().keysOf(mp.title().value()), k -> { }, keys -> {
            TitleKeys.TitleKey k = keys.get(kid);
            if (k == null || !k.scheme().equals("aes-128")) {
                throw noSuchKey();
            }
            send(ctx, r, privateAnswer(r, "application/octet-stream", k.key()));
        });
    }

    private void clearKey(ChannelHandlerContext ctx, Req r, MediaPath mp) {
        if (r.body.length > ClearKeyLicense.MAX_REQUEST_BYTES) {
            throw tooLarge(ClearKeyLicense.MAX_REQUEST_BYTES);
        }
        ClearKeyLicenceRequest request = ClearKeyLicense.parseRequest(r.body);
        onLoop(ctx, r, sc.keys().keysOf(mp.title().value()), k -> { }, (Map<String, TitleKeys.TitleKey> keys) ->
                send(ctx, r, privateAnswer(r, "application/json", ClearKeyLicense.response(request, keys))));
    }

    private void widevine(ChannelHandlerContext ctx, Req r, MediaPath mp, WidevineProxy proxy) {
        if (r.body.length > WidevineProxy.MAX_CHALLENGE_BYTES) {
            throw tooLarge(WidevineProxy.MAX_CHALLENGE_BYTES);
        }
        if (r.body.length == 0) {
            throw new MediaException(400, "bad-licence-request", "Malformed licence request", "the challenge is empty");
        }
        onLoop(ctx, r, proxy.forward(r.body, mp.title().value()), b -> { }, licence ->
                send(ctx, r, privateAnswer(r, "application/octet-stream", licence)));
    }

    private static FullHttpResponse privateAnswer(Req r, String contentType, byte[] body) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                r.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, dev.kino.media.file.CachePolicy.PRIVATE_NO_STORE);
        return resp;
    }

    private static MediaException noSuchKey() {
        return new MediaException(404, "no-such-key", "No such key", "this title has no such key");
    }

    private static MediaException tooLarge(int max) {
        return new MediaException(413, "body-too-large", "Request body too large", "at most " + max + " bytes");
    }

    // ---- plumbing

    /**
     * Runs {@code then} on this channel's event loop once {@code f} completes; failures become problems.
     * If the channel has gone away meanwhile, {@code discard} cleans up the result (open files).
     */
    private <T> void onLoop(ChannelHandlerContext ctx, Req r, CompletableFuture<T> f, Consumer<T> discard,
                            Consumer<T> then) {
        BiConsumer<T, Throwable> done = (v, e) -> {
            try {
                ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        if (v != null) {
                            discard.accept(v);
                        }
                        return;
                    }
                    if (e != null) {
                        sendError(ctx, r, e);
                        return;
                    }
                    try {
                        then.accept(v);
                    } catch (RuntimeException ex) {
                        sendError(ctx, r, ex);
                    }
                });
            } catch (RejectedExecutionException closing) {
                if (v != null) {
                    discard.accept(v);
                }
            }
        };
        f.whenComplete(done);
    }

    private void sendError(ChannelHandlerContext ctx, Req r, Throwable t) {
        MediaException e = Problems.toMediaException(t);
        if (e.status() >= 500 && e.status() != 502 && e.status() != 503) {
            LOG.warn("{} {} failed", r.method, AccessLog.redact(r.uri), t);
        }
        send(ctx, r, Problems.response(e, !r.head()));
    }

    private ChannelFuture send(ChannelHandlerContext ctx, Req r, FullHttpResponse resp) {
        decorate(r, resp.headers());
        int status = resp.status().code();
        long bytes = resp.content().readableBytes();
        ChannelFuture f = ctx.writeAndFlush(resp);
        finish(ctx, r, status, bytes, f);
        return f;
    }

    private void decorate(Req r, HttpHeaders h) {
        h.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        sc.cors().apply(r.header(HttpHeaderNames.ORIGIN), h);
        if (sc.draining()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void finish(ChannelHandlerContext ctx, Req r, int status, long bytes, ChannelFuture last) {
        last.addListener(f -> {
            long nanos = System.nanoTime() - r.start;
            sc.metrics().request(status, r.kind, f.isSuccess() ? bytes : 0, nanos);
            AccessLog.log(ctx.channel().remoteAddress(), r.method.name(), r.uri, r.protocol, status, bytes,
                    r.header(HttpHeaderNames.REFERER), r.header(HttpHeaderNames.USER_AGENT), nanos);
            busy = false;
            if (!f.isSuccess() || sc.draining()) {
                ctx.close();
                return;
            }
            Req next = queue.poll();
            if (!ctx.channel().config().isAutoRead() && queue.size() < MAX_QUEUED / 2) {
                ctx.channel().config().setAutoRead(true);
            }
            if (next != null) {
                process(ctx, next);
            }
        });
    }

    private static InetAddress clientAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress i ? i.getAddress() : null;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else if (evt == DRAIN) {
            if (!busy) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            LOG.debug("connection error from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
