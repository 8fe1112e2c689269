package dev.kino.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.protocol.hls.IFrameVariantStream;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MediaSegment;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.Playlist;
import dev.kino.protocol.hls.PlaylistParseException;
import dev.kino.protocol.hls.PlaylistParser;
import dev.kino.protocol.hls.Rendition;
import dev.kino.protocol.hls.VariantStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cold CDN edge filling its cache with one title: every playlist (multivariant, every variant's, audio and
 * I-frame playlists) and the MPD, then every init section and segment they name, each file once, pulled in byte
 * ranges of {@code sliceBytes} as nginx's {@code slice} module does (the first answer's {@code Content-Range}
 * gives the file's length). Keys and licences are not pulled: an edge never caches them.
 */
final class EdgePull {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    final Account account;
    final KinoApi.Playable item;
    private final URI mediaOrigin;
    private final long slice;
    String sessionId;
    /** Manifests still to read: [kind ("hls"/"dash"), absolute URL]. */
    final Deque<String[]> manifests = new ArrayDeque<>();
    private final Set<String> objects = new LinkedHashSet<>();
    private final Deque<String> toPull = new ArrayDeque<>();
    private String current;
    private long offset;

    EdgePull(Account account, KinoApi.Playable item, Settings settings) {
        this.account = account;
        this.item = item;
        this.mediaOrigin = settings.mediaUrl();
        this.slice = settings.sliceBytes();
    }

    /** Takes a playback grant: the signed HLS and DASH URLs. */
    void onGrant(String body) {
        try {
            JsonNode g = KinoApi.JSON.readTree(body);
            sessionId = g.path("sessionId").isTextual() ? g.path("sessionId").asText() : null;
            manifests.add(new String[]{"hls", rebase(g.path("hlsUrl").asText())});
            if (g.hasNonNull("dashUrl")) {
                manifests.add(new String[]{"dash", rebase(g.path("dashUrl").asText())});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String rebase(String url) {
        if (mediaOrigin == null) {
            return url;
        }
        URI u = URI.create(url);
        String o = mediaOrigin.toString().replaceFirst("/$", "");
        return o + u.getRawPath();
    }

    /** @return the request name of the next manifest */
    String manifestKind() {
        return manifests.peek()[0].equals("hls") ? "cdn playlist" : "cdn mpd";
    }

    /** Reads the manifest at the head of the queue: more playlists to read, objects to pull. */
    void onManifest(String body) {
        String[] m = manifests.remove();
        URI base = URI.create(m[1]);
        if (m[0].equals("dash")) {
            for (MpdReader.AdaptationSet as : MpdReader.read(base, body).adaptationSets()) {
                for (MpdReader.Representation r : as.representations()) {
                    if (r.initUrl() != null) {
                        object(r.initUrl());
                    }
                    r.segments().forEach(s -> object(s.url()));
                }
            }
            return;
        }
        Playlist p;
        try {
            p = PlaylistParser.parse(body);
        } catch (PlaylistParseException e) {
            throw new IllegalStateException("playlist " + base + ": " + e.getMessage(), e);
        }
        if (p instanceof MultivariantPlaylist mv) {
            for (VariantStream v : mv.variants()) {
                manifests.add(new String[]{"hls", base.resolve(v.uri()).toString()});
            }
            for (Rendition r : mv.renditions()) {
                r.uri().ifPresent(u -> manifests.add(new String[]{"hls", base.resolve(u).toString()}));
            }
            for (IFrameVariantStream v : mv.iFrameVariants()) {
                manifests.add(new String[]{"hls", base.resolve(v.uri()).toString()});
            }
        } else if (p instanceof MediaPlaylist mp) {
            for (MediaSegment s : mp.segments()) {
                s.map().ifPresent(map -> object(base.resolve(map.uri()).toString()));
                object(base.resolve(s.uri()).toString());
            }
        }
    }

    private void object(String url) {
        if (objects.add(url)) {
            toPull.add(url);
        }
    }

    /** @return whether a slice remains to be pulled */
    boolean pulling() {
        if (current == null && !toPull.isEmpty()) {
            current = toPull.poll();
            offset = 0;
        }
        return current != null;
    }

    /** @return the URL of the next slice */
    String url() {
        return current;
    }

    /** @return the Range header of the next slice */
    String range() {
        return "bytes=" + offset + "-" + (offset + slice - 1);
    }

    /** Takes a slice's {@code Content-Range: bytes first-last/length}; moves to the next slice or object. */
    void onSlice(String contentRange) {
        Matcher m = CONTENT_RANGE.matcher(contentRange == null ? "" : contentRange);
        if (!m.matches()) {
            throw new IllegalStateException("Content-Range '" + contentRange + "' is not bytes first-last/length");
        }
        long last = Long.parseLong(m.group(2));
        long length = Long.parseLong(m.group(3));
        if (Long.parseLong(m.group(1)) != offset) {
            throw new IllegalStateException("asked for bytes from " + offset + ", got " + contentRange);
        }
        offset = last + 1;
        if (offset >= length) {
            current = null;
        }
    }

    /** @return how many distinct files the manifests named so far */
    int objectCount() {
        return objects.size();
    }
}
