package dev.kino.loadtest;

import dev.kino.protocol.hls.ByteRange;
import dev.kino.protocol.hls.EncryptionKey;
import dev.kino.protocol.hls.KeyMethod;
import dev.kino.protocol.hls.MediaInitializationSection;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MediaSegment;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.PlaylistParseException;
import dev.kino.protocol.hls.PlaylistParser;
import dev.kino.protocol.hls.Rendition;
import dev.kino.protocol.hls.RenditionType;
import dev.kino.protocol.hls.VariantStream;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HLS viewer (RFC 8216) as hls.js plays a VOD stream: the multivariant playlist, one variant stream's media
 * playlist and its audio rendition's, each one's Media Initialization Section (EXT-X-MAP), each AES-128 key once
 * per URI, then segments in order with the audio segments that cover the same time. Playlists are parsed with
 * Kino's own {@link PlaylistParser}.
 */
final class HlsPlayback extends Playback {
    private List<VariantStream> variants = List.of();
    private final Map<String, String> audioByGroup = new HashMap<>();
    private int variant = -1;

    /** Media playlists to load before the next segment: [role ("video"/"audio"), absolute URL]. */
    private final Deque<String[]> playlistsDue = new ArrayDeque<>();
    private Track video;
    private Track audio;
    private int index;
    private boolean justSwitched = true;
    private final Set<String> keysLoaded = new HashSet<>();

    /** One media playlist with its segments' start times, where it was loaded from, and what was fetched of it. */
    private static final class Track {
        final URI uri;
        final List<MediaSegment> segments;
        final double[] start;
        int next;
        String lastMap;
        final Map<String, Long> rangeEnds = new HashMap<>();

        Track(URI uri, MediaPlaylist p) {
            this.uri = uri;
            this.segments = p.segments();
            this.start = new double[segments.size() + 1];
            for (int i = 0; i < segments.size(); i++) {
                start[i + 1] = start[i] + seconds(segments.get(i));
            }
        }

        int indexAt(double t) {
            for (int i = 0; i < segments.size(); i++) {
                if (start[i + 1] > t + 1e-6) {
                    return i;
                }
            }
            return segments.size();
        }
    }

    HlsPlayback(Account account, KinoApi.Playable item, Settings settings) {
        super(account, item, settings);
    }

    @Override
    String manifestField() {
        return "hlsUrl";
    }

    @Override
    void onManifest(String body) {
        MultivariantPlaylist m;
        try {
            m = PlaylistParser.parseMultivariant(body);
        } catch (PlaylistParseException e) {
            throw new IllegalStateException("multivariant playlist " + manifestUrl + ": " + e.getMessage(), e);
        }
        List<VariantStream> allowed = new ArrayList<>();
        for (VariantStream v : m.variants()) {
            int h = v.resolution().map(r -> r.height()).orElse(0);
            if (maxHeight == null || h <= maxHeight) {
                allowed.add(v);
            }
        }
        if (allowed.isEmpty()) {
            throw new IllegalStateException("no variant stream to play in " + manifestUrl);
        }
        variants = allowed;
        audioByGroup.clear();
        for (Rendition r : m.renditions()) {
            if (r.type() == RenditionType.AUDIO && r.uri().isPresent()
                    && (r.isDefault() || !audioByGroup.containsKey(r.groupId()))) {
                audioByGroup.put(r.groupId(), r.uri().get());
            }
        }
        manifestDue = false;
        // A first load picks a variant as ABR would after its first estimate; a reload (renewed grant) keeps it.
        choose(variant < 0 || variant >= variants.size() ? ThreadLocalRandom.current().nextInt(variants.size()) : variant);
    }

    private void choose(int v) {
        variant = v;
        VariantStream vs = variants.get(v);
        playlistsDue.clear();
        playlistsDue.add(new String[]{"video", resolve(manifestUrl, vs.uri())});
        Optional<String> group = vs.audio();
        if (group.isPresent() && audioByGroup.containsKey(group.get())) {
            playlistsDue.add(new String[]{"audio", resolve(manifestUrl, audioByGroup.get(group.get()))});
        } else {
            audio = null;
        }
    }

    /** @return the absolute URL of the next media playlist to load, or null */
    String playlistDue() {
        String[] p = playlistsDue.peek();
        return p == null ? null : p[1];
    }

    /** Takes the media playlist {@link #playlistDue()} named. */
    void onPlaylist(String body) {
        String[] p = playlistsDue.remove();
        MediaPlaylist mp;
        try {
            mp = PlaylistParser.parseMedia(body);
        } catch (PlaylistParseException e) {
            throw new IllegalStateException("media playlist " + p[1] + ": " + e.getMessage(), e);
        }
        Track t = new Track(URI.create(p[1]), mp);
        if (t.segments.isEmpty()) {
            throw new IllegalStateException("media playlist " + p[1] + " has no segment");
        }
        if (p[0].equals("video")) {
            video = t;
        } else {
            audio = t;
        }
    }

    @Override
    void advance() {
        if (finished || video == null) {
            return;
        }
        if (!justSwitched && variants.size() > 1 && chance(switchChance)) {
            // A switch loads the new variant's playlists first (the next turn), then continues at the same time.
            int other = ThreadLocalRandom.current().nextInt(variants.size() - 1);
            choose(other >= variant ? other + 1 : other);
            justSwitched = true;
            return;
        }
        justSwitched = false;
        if (index > 0 && chance(seekChance)) {
            index = ThreadLocalRandom.current().nextInt(video.segments.size());
            positionSeconds = video.start[index];
            if (audio != null) {
                audio.next = audio.indexAt(positionSeconds);
            }
        } else {
            // After a switch the new playlist's segment at the current position.
            index = video.indexAt(positionSeconds);
        }
        if (index >= video.segments.size()) {
            finished = true;
            return;
        }
        MediaSegment s = video.segments.get(index);
        queue(video, s, "hls segment");
        double end = video.start[index + 1];
        if (audio != null) {
            if (audio.next < audio.segments.size() && audio.start[audio.next] + 0.001 < video.start[index]) {
                audio.next = audio.indexAt(video.start[index]);
            }
            while (audio.next < audio.segments.size() && audio.start[audio.next] < end) {
                queue(audio, audio.segments.get(audio.next), "hls segment");
                audio.next++;
            }
        }
        index++;
        positionSeconds = video.start[index - 1];
        played(end - video.start[index - 1]);
    }

    private void queue(Track t, MediaSegment s, String kind) {
        Optional<MediaInitializationSection> map = s.map();
        if (map.isPresent()) {
            String u = resolve(t.uri, map.get().uri());
            String key = u + map.get().byteRange().map(ByteRange::toString).orElse("");
            if (!key.equals(t.lastMap)) {
                fetches.add(new Fetch("hls init section", u, range(t, u, map.get().byteRange())));
                t.lastMap = key;
            }
        }
        for (EncryptionKey k : s.keys()) {
            if (k.method() != KeyMethod.NONE && k.uri().isPresent() && k.effectiveKeyFormat().equals("identity")) {
                String u = resolve(t.uri, k.uri().get());
                if (keysLoaded.add(u)) {
                    fetches.add(new Fetch("hls key", u, null));
                }
            }
        }
        String u = resolve(t.uri, s.uri());
        fetches.add(new Fetch(kind, u, range(t, u, s.byteRange())));
    }

    /** @return the Range header of an EXT-X-BYTERANGE (RFC 8216 §4.3.2.2: no offset = after the previous sub-range) */
    private static String range(Track t, String url, Optional<ByteRange> br) {
        if (br.isEmpty()) {
            return null;
        }
        long offset = br.get().offset().orElse(t.rangeEnds.getOrDefault(url, 0L));
        long end = offset + br.get().length();
        t.rangeEnds.put(url, end);
        return "bytes=" + offset + "-" + (end - 1);
    }

    @Override
    void onRenewed() {
        // As hls.js after loadSource(fresh URL): the multivariant playlist and the current variant's playlists again.
        keysLoaded.clear();
        video = null;
        audio = null;
        justSwitched = true;
    }

    static double seconds(MediaSegment s) {
        return s.duration().toNanos() / 1e9;
    }
}
