package dev.kino.media.http;

import dev.kino.http.Cors;
import dev.kino.media.access.TokenGate;
import dev.kino.media.MediaException;
import dev.kino.media.file.FileKind;
import dev.kino.media.file.RenditionCap;
import dev.kino.media.file.FileType;
import dev.kino.media.file.MediaPath;
import dev.kino.media.file.Representation;
import dev.kino.media.file.Representations;
import dev.kino.media.key.ClearKeyLicence;
import dev.kino.media.key.TitleKeys;
import dev.kino.media.key.WidevineProxy;
import dev.kino.protocol.key.ClearKeyLicenceRequest;
import dev.kino.protocol.token.MediaPaths;
import dev.kino.protocol.token.PlaybackClaims;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routes the requests of the media port. The shared HTTP layer ({@code dev.kino.http}) hands it one checked
 * request at a time per connection and keeps pipelined answers in order; this class decides which resource
 * answers, and hands files to {@link Representations} (what representation: coding, body, validators) and
 * {@link FileResponses} (status, range, bytes on the wire):
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
 * (404), then stream leases (playlists, keys and licences only), then the resource. The event loop never
 * touches the file system: opens, stats and key-file reads run on the bounded blocking executor and the
 * answer is written back on the loop. Stateless: one instance serves every connection of a listener.
 */
@ChannelHandler.Sharable
public final class MediaHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MediaHandler.class);
    private static final String WIDEVINE_LICENCE = "license/widevine";

    private final ServerContext sc;
    private final Representations representations;
    private final boolean chunkedFiles;

    /**
     * @param sc shared server state
     * @param chunkedFiles true under TLS: send files as chunks instead of a zero-copy region
     */
    public MediaHandler(ServerContext sc, boolean chunkedFiles) {
        this.sc = sc;
        this.representations = new Representations(sc.files(), sc.blocking());
        this.chunkedFiles = chunkedFiles;
    }

    /**
     * A connection failed under a request or an answer: almost always a client that went away (players abort a
     * segment download on every seek and rendition switch; a load generator resets its connections when it stops):
     * {@code Connection reset by peer}, {@code Broken pipe}. There is nothing to answer; the connection is closed, and
     * an I/O failure is logged at debug level only. Without this, Netty's pipeline tail logged every one as a warning
     * with its stack trace, written to {@code kino.log} by the event loop itself (6,856 of them in one evening's
     * benchmark runs: 1,000 at the end of every run at 1,000 connections; {@code media-server/BENCHMARK.md}, session
     * 2026-12-06). Anything else is a fault of this server and stays a warning with its stack trace.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        Exchange ex = new Exchange(ctx, sc, msg);
        try {
            route(ex, chunkedFiles);
        } catch (RuntimeException e) {
            ex.sendError(e);
        }
    }

    private void route(Exchange ex, boolean chunked) {
        if (ex.method.equals(HttpMethod.OPTIONS)) {
            ex.kind = "preflight";
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
            resp.headers().set(HttpHeaderNames.ALLOW, Cors.ALLOW_METHODS);
            sc.cors().preflight(ex.header(HttpHeaderNames.ORIGIN), resp.headers());
            ex.send(resp);
            return;
        }
        int q = ex.uri.indexOf('?');
        String path = q < 0 ? ex.uri : ex.uri.substring(0, q);
        MediaPaths.TokenizedPath split = MediaPaths.split(path)
                .orElseThrow(() -> MediaException.notFound("no such resource"));
        MediaPath mp = MediaPath.parse(split.path());
        // NOTE: protocol/TOKENS.md §5: the ACL is matched against the path as received, never decoded or
        // normalised, exactly as a CDN edge would check it; a path that needed decoding is refused (403).
        PlaybackClaims claims = sc.gate().check(split.token(), split.path(), ex.clientAddress(), memo(ex));
        if (sc.takedowns().isTakenDown(mp.title().value())) {
            throw MediaException.notFound("this title is not available");
        }
        List<String> s = mp.segments();
        String rest = s.size() == 1 ? s.get(0) : String.join("/", s);
        int maxHeight = claims.maxHeight().orElse(0);
        if (maxHeight > 0) {
            RenditionCap.check(rest, maxHeight); // 403 for a rendition above the grant's cap
        }
        Runnable dispatch;
        if (s.size() == 2 && s.get(0).equals(MediaPaths.KEYS_DIR)) {
            ex.kind = "key";
            requireGetOrHead(ex);
            dispatch = () -> key(ex, mp, s.get(1));
        } else if (rest.equals(MediaPaths.CLEARKEY_LICENCE)) {
            ex.kind = "licence";
            requirePost(ex);
            dispatch = () -> clearKey(ex, mp, claims);
        } else if (rest.equals(WIDEVINE_LICENCE) && sc.widevine() != null) {
            ex.kind = "licence";
            requirePost(ex);
            dispatch = () -> widevine(ex, mp, sc.widevine());
        } else {
            FileType type = FileType.of(mp.fileName()).orElseThrow(() -> MediaException.notFound("no such file"));
            ex.kind = type.kind().label();
            requireGetOrHead(ex);
            dispatch = () -> file(ex, mp, type, split.token(), chunked, maxHeight);
        }
        // Stream leases on playlists, keys and licences only: segments never wait on shared state.
        boolean leased = ex.kind.equals("key") || ex.kind.equals("licence") || ex.kind.equals(FileKind.PLAYLIST.label());
        if (sc.leases() != null && leased) {
            ex.onLoop(sc.leases().check(claims), v -> { }, v -> dispatch.run());
        } else {
            dispatch.run();
        }
    }

    /**
     * The fast path's routing ({@link FastAnswers}): the same checks as {@link #route} for a {@code GET} or
     * {@code HEAD} of a published file, but it answers nothing and changes nothing another answer would see (a refused
     * token is not counted): whenever the answer is not a plain 200 from memory, it returns null and the request
     * takes the normal path, which decides again and answers (errors included).
     *
     * @return the in-memory representation that answers {@code ex} with a 200, or null
     */
    Representation plainInMemory(Exchange ex) {
        try {
            String path = ex.uri;
            if (path.indexOf('?') >= 0) {
                return null; // a query (CMCD, say) is the normal path's business
            }
            MediaPaths.TokenizedPath split = MediaPaths.split(path).orElse(null);
            if (split == null) {
                return null;
            }
            MediaPath mp = MediaPath.parse(split.path());
            PlaybackClaims claims = sc.gate().checkQuietly(split.token(), split.path(), ex.clientAddress(), memo(ex));
            if (claims == null || claims.maxHeight().orElse(0) > 0 || sc.takedowns().isTakenDown(mp.title().value())) {
                return null;
            }
            List<String> s = mp.segments();
            if (s.size() == 2 && s.get(0).equals(MediaPaths.KEYS_DIR)) {
                return null;
            }
            FileType type = FileType.of(mp.fileName()).orElse(null);
            if (type == null || type.contentType().equals(FileType.MPD_CONTENT_TYPE)
                    || (sc.leases() != null && type.kind() == FileKind.PLAYLIST && sc.leases().leased(claims)
                        && !sc.leases().renewedRecently(claims))) {
                // MPDs carry a per-viewer licence URL; a viewer's stream lease not renewed in the last second waits
                // on shared state (the normal path renews it, and the next second's playlists are fast again)
                return null;
            }
            Representation rep = representations.selectInMemory(mp, type, ex.header(HttpHeaderNames.ACCEPT_ENCODING),
                    false, null, 0, false);
            if (rep == null || rep.body() == null) {
                return null;
            }
            ex.kind = type.kind().label();
            return rep;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final io.netty.util.AttributeKey<TokenGate.ConnectionMemo> MEMO =
            io.netty.util.AttributeKey.valueOf(MediaHandler.class, "token-memo");

    /** The connection's {@link TokenGate.ConnectionMemo} (an HTTP/2 stream is a channel of its own: one per stream). */
    private static TokenGate.ConnectionMemo memo(Exchange ex) {
        io.netty.util.Attribute<TokenGate.ConnectionMemo> a = ex.ctx.channel().attr(MEMO);
        TokenGate.ConnectionMemo m = a.get();
        if (m == null) {
            m = new TokenGate.ConnectionMemo();
            a.set(m);
        }
        return m;
    }

    private static void requireGetOrHead(Exchange ex) {
        if (!ex.method.equals(HttpMethod.GET) && !ex.method.equals(HttpMethod.HEAD)) {
            throw new MethodNotAllowedException("GET, HEAD, OPTIONS");
        }
    }

    private static void requirePost(Exchange ex) {
        if (!ex.method.equals(HttpMethod.POST)) {
            throw new MethodNotAllowedException("POST, OPTIONS");
        }
    }

    private void file(Exchange ex, MediaPath mp, FileType type, String token, boolean chunked, int maxHeight) {
        String licenceUrl = type.contentType().equals(FileType.MPD_CONTENT_TYPE) ? licenceUrl(token, mp) : null;
        Representation inMemory = representations.selectInMemory(mp, type, ex.header(HttpHeaderNames.ACCEPT_ENCODING),
                ex.header(HttpHeaderNames.RANGE) != null, licenceUrl, maxHeight, !chunked);
        if (inMemory != null) {
            FileResponses.respond(ex, inMemory, chunked); // no file system call, no hop off the event loop
            return;
        }
        ex.onLoop(representations.select(mp, type, ex.header(HttpHeaderNames.ACCEPT_ENCODING),
                        ex.header(HttpHeaderNames.RANGE) != null, licenceUrl, maxHeight, !chunked),
                Representation::close, rep -> FileResponses.respond(ex, rep, chunked));
    }

    /** The absolute ClearKey licence URL of this token and title, or null if it cannot be built. */
    private String licenceUrl(String token, MediaPath mp) {
        try {
            return sc.publicUrl() + MediaPaths.clearKeyLicence(token, mp.title());
        } catch (IllegalArgumentException e) {
            return null; // not a path-safe token: the gate let it through, so this does not happen
        }
    }

    // ---- keys and licences

    private void key(Exchange ex, MediaPath mp, String kidText) {
        String kid = kidText.toLowerCase(Locale.ROOT);
        if (!kid.matches("[0-9a-f]{32}")) {
            throw noSuchKey();
        }
        ex.onLoop(sc.keys().keysOf(mp.title().value()), k -> { }, keys -> {
            TitleKeys.TitleKey k = keys.get(kid);
            if (k == null || !k.scheme().equals("aes-128")) {
                throw noSuchKey();
            }
            ex.send(privateAnswer(ex, "application/octet-stream", k.key()));
        });
    }

    private void clearKey(Exchange ex, MediaPath mp, PlaybackClaims claims) {
        if (ex.body.length > ClearKeyLicence.MAX_REQUEST_BYTES) {
            throw tooLarge(ClearKeyLicence.MAX_REQUEST_BYTES);
        }
        ClearKeyLicenceRequest request = ClearKeyLicence.parseRequest(ex.body);
        ClearKeyLicence.requireAllowed(request, claims.offline());
        ex.onLoop(sc.keys().keysOf(mp.title().value()), k -> { }, (Map<String, TitleKeys.TitleKey> keys) ->
                ex.send(privateAnswer(ex, "application/json", ClearKeyLicence.response(request, keys))));
    }

    private void widevine(Exchange ex, MediaPath mp, WidevineProxy proxy) {
        if (ex.body.length > WidevineProxy.MAX_CHALLENGE_BYTES) {
            throw tooLarge(WidevineProxy.MAX_CHALLENGE_BYTES);
        }
        if (ex.body.length == 0) {
            throw new MediaException(400, "bad-licence-request", "Malformed licence request", "the challenge is empty");
        }
        ex.onLoop(proxy.forward(ex.body, mp.title().value()), b -> { }, licence ->
                ex.send(privateAnswer(ex, "application/octet-stream", licence)));
    }

    private static FullHttpResponse privateAnswer(Exchange ex, String contentType, byte[] body) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                ex.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, dev.kino.media.file.CachePolicy.PRIVATE_NO_STORE);
        return resp;
    }

    private static MediaException noSuchKey() {
        return new MediaException(404, "no-such-key", "No such key", "this title has no such key");
    }

    private static MediaException tooLarge(int max) {
        return new MediaException(413, "body-too-large", "Request body too large",
                "at most " + max + " bytes");
    }
}
