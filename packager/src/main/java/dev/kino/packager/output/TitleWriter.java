package dev.kino.packager.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kino.common.keystore.ContentKeyWrapper;
import dev.kino.common.keystore.WrappedKeyFile;
import dev.kino.packager.PackagingException;
import dev.kino.packager.cmaf.Encryption;
import dev.kino.packager.crypto.ContentKeys;
import dev.kino.packager.ladder.Rung;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.subtitle.WebVtt;
import dev.kino.packager.thumbs.Thumbnails;
import dev.kino.protocol.dash.AdaptationSet;
import dev.kino.protocol.dash.ContentProtection;
import dev.kino.protocol.dash.ContentType;
import dev.kino.protocol.dash.EncryptionScheme;
import dev.kino.protocol.dash.Mpd;
import dev.kino.protocol.dash.MpdWriter;
import dev.kino.protocol.dash.Period;
import dev.kino.protocol.dash.Representation;
import dev.kino.protocol.dash.Role;
import dev.kino.protocol.dash.SegmentTemplate;
import dev.kino.protocol.hls.ByteRange;
import dev.kino.protocol.hls.EncryptionKey;
import dev.kino.protocol.hls.IFrameVariantStream;
import dev.kino.protocol.hls.KeyMethod;
import dev.kino.protocol.hls.MediaInitializationSection;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MediaPlaylistBuilder;
import dev.kino.protocol.hls.MediaSegment;
import dev.kino.protocol.hls.MediaSegmentBuilder;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.MultivariantPlaylistBuilder;
import dev.kino.protocol.hls.PlaylistType;
import dev.kino.protocol.hls.PlaylistWriter;
import dev.kino.protocol.hls.Rendition;
import dev.kino.protocol.hls.RenditionType;
import dev.kino.protocol.hls.VariantStream;
import dev.kino.protocol.key.HlsAes128;
import dev.kino.protocol.lang.LanguageTags;
import dev.kino.protocol.token.MediaPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a transcoded title's manifests into its (temporary) folder.
 *
 * <pre>
 * master.m3u8                 multivariant playlist (RFC 8216 §4.3.4): variants, AUDIO renditions, I-frame variants
 * video-720p.m3u8             media playlist per rung (VOD, EXT-X-MAP, EXT-X-KEY with URI keys/&lt;kid hex&gt;)
 * video-720p-iframes.m3u8     I-frame playlist per rung: byte ranges of the segments, or for AES-128 (whose CBC
 *                             segments cannot be decrypted by range) the iframe-NNNNN.m4s files, each the segment's
 *                             first IDR picture alone, encrypted with its own explicit IV
 * audio-eng.m3u8              media playlist per audio track
 * subs-eng.vtt, subs-eng.m3u8 WebVTT subtitles per language and their one-segment media playlist (RFC 8216 §3.5)
 * thumbnails.vtt, thumbs-NNN.jpg, poster.jpg   seek thumbnails and poster (written by the Thumbnailer)
 * manifest.mpd                DASH MPD (SegmentTemplate with SegmentTimeline, ContentProtection for cenc)
 * keys.wrapped.json           content keys wrapped with the KEK (only when protected)
 * manifest.json               renditions, durations, codecs, languages, key ids, SHA-256 of every other file
 * </pre>
 */
public final class TitleWriter {
    /** The multivariant playlist. */
    public static final String MASTER = "master.m3u8";
    /** The DASH MPD. */
    public static final String MPD = "manifest.mpd";
    /** The title manifest. */
    public static final String MANIFEST = "manifest.json";
    private static final String AUDIO_GROUP = "aac";
    private static final String SUBS_GROUP = "subs";
    /**
     * The {@code X-TIMESTAMP-MAP} MPEGTS value of the WebVTT files: the video's first presentation time in 90 kHz
     * ticks. The CMAF tracks start at presentation time 0 ({@code tfdt} 0, first composition time 0), so cue time 0
     * is media time 0; hls.js subtracts the fMP4 track's initial PTS from this value and so adds no offset.
     */
    static final long VTT_MPEGTS = 0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TitleWriter() {
    }

    /**
     * @param dir the title folder being written
     * @param t the tracks
     * @param wrapper the key-encryption key, used when the title has keys
     * @throws PackagingException on an I/O error or a manifest the writers reject
     */
    public static void write(Path dir, TitleTracks t, ContentKeyWrapper wrapper) {
        try {
            writeHls(dir, t);
            if (t.protection().dash()) {
                Files.writeString(dir.resolve(MPD), MpdWriter.write(mpd(t)), StandardCharsets.UTF_8);
            }
            List<ContentKeys.Generated> keys = keys(t);
            if (!keys.isEmpty()) {
                Files.write(dir.resolve(WrappedKeyFile.FILE_NAME), ContentKeys.wrappedKeyFile(keys, wrapper));
            }
            Files.write(dir.resolve(MANIFEST), manifest(dir, t, keys));
        } catch (IOException e) {
            throw new PackagingException(t.titleId() + ": cannot write manifests: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new PackagingException(t.titleId() + ": manifest rejected: " + e.getMessage(), e);
        }
    }

    static List<ContentKeys.Generated> keys(TitleTracks t) {
        List<ContentKeys.Generated> keys = new ArrayList<>();
        if (t.hlsKey() != null) {
            keys.add(t.hlsKey());
        }
        if (t.cencKey() != null) {
            keys.add(t.cencKey());
        }
        return keys;
    }

    /** A rendition name for people: the language's English name ("Japanese"), or the track name when unknown. */
    static String displayName(String language, String fallback) {
        return LanguageTags.englishName(language).orElse(fallback);
    }

    private static void writeHls(Path dir, TitleTracks t) throws IOException {
        int copy = t.hlsCopy();
        MultivariantPlaylistBuilder master = MultivariantPlaylist.builder().independentSegments(true);
        boolean first = true;
        long audioBw = 0;
        java.util.Set<String> audioNames = new java.util.HashSet<>();
        for (SegmentedTrack a : t.audio()) {
            TrackFormat f = a.format();
            // NAME must be unique in the group (RFC 8216 §4.3.4.1.1): a second track of one language keeps its own name.
            String name = displayName(f.language(), a.name());
            if (!audioNames.add(name)) {
                name = a.name();
                audioNames.add(name);
            }
            // LANGUAGE is an RFC 5646 tag, so the shortest ISO 639 code ("en", not "eng"); NAME is for people.
            master.addRendition(Rendition.builder().type(RenditionType.AUDIO).groupId(AUDIO_GROUP)
                    .name(name)
                    .language(LanguageTags.toBcp47(f.language())).uri(a.name() + ".m3u8").isDefault(first).autoselect(true)
                    .channels(Integer.toString(f.channels())).build());
            first = false;
            audioBw = Math.max(audioBw, f.bitrate());
            writeMedia(dir, a.name() + ".m3u8", a, copy, t, false);
        }
        for (SubtitleTrack st : t.subtitles()) {
            master.addRendition(Rendition.builder().type(RenditionType.SUBTITLES).groupId(SUBS_GROUP)
                    .name(st.label()).language(LanguageTags.toBcp47(st.language())).uri(st.playlist())
                    .isDefault(false).autoselect(true)
                    .build());
            writeSubtitles(dir, st, t);
        }
        for (TitleTracks.VideoTrack v : t.video()) {
            Rung r = v.rung();
            TrackFormat f = v.track().format();
            List<String> codecs = new ArrayList<>(List.of(f.codecs()));
            if (!t.audio().isEmpty()) {
                codecs.add("mp4a.40.2");
            }
            var vb = VariantStream.builder().uri(r.name() + ".m3u8")
                    .bandwidth(peak(v.track(), copy) + audioBw).averageBandwidth(average(v.track(), copy) + audioBw)
                    .codecs(codecs).resolution(r.width(), r.height()).frameRate(r.frameRate());
            if (!t.audio().isEmpty()) {
                vb.audio(AUDIO_GROUP);
            }
            if (!t.subtitles().isEmpty()) {
                vb.subtitles(SUBS_GROUP);
            }
            master.addVariant(vb.build());
            writeMedia(dir, r.name() + ".m3u8", v.track(), copy, t, false);
            String iframes = r.name() + "-iframes.m3u8";
            writeMedia(dir, iframes, v.track(), copy, t, true);
            master.addIFrameVariant(IFrameVariantStream.builder().uri(iframes)
                    .bandwidth(Math.max(1, iFrameBandwidth(v.track(), copy))).codecs(f.codecs())
                    .resolution(r.width(), r.height()).build());
        }
        Files.writeString(dir.resolve(MASTER), PlaylistWriter.write(master.build()), StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code <name>.vtt} (with {@code X-TIMESTAMP-MAP}, {@link #VTT_MPEGTS}) and its media playlist: one
     * segment spanning the title, {@code EXT-X-TARGETDURATION} the title duration rounded up (RFC 8216 §4.3.3.1).
     * DASH lists the same file as a side-loaded WebVTT Representation; DASH players ignore the header line.
     */
    private static void writeSubtitles(Path dir, SubtitleTrack st, TitleTracks t) throws IOException {
        Files.writeString(dir.resolve(st.vttFile()), WebVtt.file(st.cues(), VTT_MPEGTS), StandardCharsets.UTF_8);
        double d = t.durationSeconds();
        MediaPlaylist p = MediaPlaylist.builder().playlistType(PlaylistType.VOD).independentSegments(true)
                .endList(true).targetDuration((int) Math.max(1, Math.ceil(d)))
                .addSegment(MediaSegment.builder().uri(st.vttFile()).durationSeconds(d).build()).build();
        Files.writeString(dir.resolve(st.playlist()), PlaylistWriter.write(p), StandardCharsets.UTF_8);
    }

    private static long peak(SegmentedTrack tr, int copy) {
        long best = 0;
        for (SegmentInfo s : tr.segments(copy)) {
            best = Math.max(best, Math.round(s.size() * 8.0 * tr.format().timescale() / s.duration()));
        }
        return Math.max(best, 1);
    }

    private static long average(SegmentedTrack tr, int copy) {
        long bytes = 0;
        long ticks = 0;
        for (SegmentInfo s : tr.segments(copy)) {
            bytes += s.size();
            ticks += s.duration();
        }
        return ticks == 0 ? 1 : Math.max(1, Math.round(bytes * 8.0 * tr.format().timescale() / ticks));
    }

    private static long iFrameBandwidth(SegmentedTrack tr, int copy) {
        long best = 0;
        for (SegmentInfo s : tr.iFrameFiles(copy)) {
            best = Math.max(best, Math.round(s.size() * 8.0 * tr.format().timescale() / s.duration()));
        }
        for (SegmentInfo s : tr.segments(copy)) {
            if (s.iFrame().isPresent()) {
                best = Math.max(best, Math.round(s.iFrame().get().length() * 8.0 * tr.format().timescale()
                        / s.duration()));
            }
        }
        return best;
    }

    private static void writeMedia(Path dir, String file, SegmentedTrack tr, int copy, TitleTracks t, boolean iFrames)
            throws IOException {
        SegmentCopy c = tr.copies().get(copy);
        int timescale = tr.format().timescale();
        // I-frames of an AES-128 copy are files of their own (a byte range of a CBC-encrypted segment cannot be
        // decrypted alone); otherwise byte ranges of the segments
        boolean iFrameFiles = iFrames && c.aes128Key() != null;
        List<SegmentInfo> segs = iFrameFiles ? tr.iFrameFiles(copy) : tr.segments(copy);
        long maxTicks = segs.stream().mapToLong(SegmentInfo::duration).max().orElse(timescale);
        MediaPlaylistBuilder b = MediaPlaylist.builder().playlistType(PlaylistType.VOD).independentSegments(true)
                .endList(true).iFramesOnly(iFrames)
                .targetDuration((int) Math.max(1, Math.round((double) maxTicks / timescale)));
        MediaInitializationSection map = MediaInitializationSection.of(c.folder() + "/" + SegmentedTrack.INIT);
        for (SegmentInfo s : segs) {
            if (iFrames && !iFrameFiles && s.iFrame().isEmpty()) {
                continue;
            }
            MediaSegmentBuilder sb = MediaSegment.builder().uri(s.file())
                    .durationSeconds((double) s.duration() / timescale).map(map);
            if (iFrames && !iFrameFiles) {
                sb.byteRange(ByteRange.of(s.iFrame().get().length(), s.iFrame().get().offset()));
            }
            if (c.aes128Key() != null) {
                byte[] iv = iFrameFiles ? SegmentedTrack.iFrameIv(s.number())
                        : HlsAes128.ivForMediaSequence(s.number() - 1);
                sb.addKey(EncryptionKey.builder().method(KeyMethod.AES_128).uri("keys/" + t.hlsKey().kid().toHex())
                        .iv(iv).build());
            } else if (c.cenc().isPresent()) {
                sb.addKey(EncryptionKey.builder().method(KeyMethod.SAMPLE_AES_CTR)
                        .uri("keys/" + t.cencKey().kid().toHex()).build());
            }
            b.addSegment(sb.build());
        }
        // The initialization section stays clear: the writer declares EXT-X-MAP before the AES-128 EXT-X-KEY
        // (RFC 8216 §4.3.2.4), so the key applies to the media segments only.
        Files.writeString(dir.resolve(file), PlaylistWriter.write(b.build()), StandardCharsets.UTF_8);
    }

    private static Mpd mpd(TitleTracks t) {
        int copy = t.dashCopy();
        List<ContentProtection> cps = new ArrayList<>();
        if (t.cencKey() != null) {
            UUID kid = t.cencKey().kid().toUuid();
            Encryption enc = t.video().get(0).track().copies().get(copy).cenc().orElseThrow();
            cps.add(ContentProtection.mp4Protection(EncryptionScheme.CENC, kid));
            // DASH-IF ClearKey with the licence URL relative to the MPD (/v/{token}/{title}/manifest.mpd): the
            // token is in the path, so this file is the same for every viewer; the media server replaces the
            // text with the absolute URL when serving it, as players resolve Laurl against the page, not the MPD.
            cps.add(ContentProtection.clearKey(kid, MediaPaths.CLEARKEY_LICENCE));
            cps.add(ContentProtection.widevine(kid, enc.psshBoxes().get(0)));
            cps.add(ContentProtection.w3cCommon(List.of(kid), null));
        }
        var period = Period.builder().id("0");
        var video = AdaptationSet.builder().id(1L).contentType(ContentType.VIDEO).mimeType("video/mp4")
                .segmentAlignment(true).startWithSap(1).contentProtections(cps);
        int maxW = 0;
        int maxH = 0;
        for (TitleTracks.VideoTrack v : t.video()) {
            Rung r = v.rung();
            maxW = Math.max(maxW, r.width());
            maxH = Math.max(maxH, r.height());
            video.representation(Representation.builder().id(r.name()).bandwidth(peak(v.track(), copy))
                    .codecs(v.track().format().codecs()).resolution(r.width(), r.height())
                    .frameRate(r.frameRate())
                    .segmentTemplate(template(v.track(), copy)).build());
        }
        video.maxResolution(maxW, maxH);
        period.adaptationSet(video.build());
        long id = 2;
        for (SegmentedTrack a : t.audio()) {
            TrackFormat f = a.format();
            period.adaptationSet(AdaptationSet.builder().id(id++).contentType(ContentType.AUDIO).mimeType("audio/mp4")
                    .lang(LanguageTags.toBcp47(f.language())).segmentAlignment(true).startWithSap(1).contentProtections(cps)
                    .representation(Representation.builder().id(a.name()).bandwidth(f.bitrate()).codecs(f.codecs())
                            .audioSamplingRate(f.sampleRate()).audioChannels(f.channels())
                            .segmentTemplate(template(a, copy)).build())
                    .build());
        }
        for (SubtitleTrack st : t.subtitles()) {
            period.adaptationSet(AdaptationSet.webVtt(id++, LanguageTags.toBcp47(st.language()), Role.SUBTITLE, st.label(), st.name(), 256,
                    st.vttFile()));
        }
        long ms = Math.round(t.durationSeconds() * 1000);
        return Mpd.builder().profile(Mpd.PROFILE_ISOFF_LIVE).mediaPresentationDuration(Duration.ofMillis(ms))
                .minBufferTime(Duration.ofSeconds(2L * t.segmentSeconds())).period(period.build()).build();
    }

    private static SegmentTemplate template(SegmentedTrack tr, int copy) {
        SegmentCopy c = tr.copies().get(copy);
        List<SegmentInfo> segs = tr.segments(copy);
        return SegmentTemplate.builder().timescale(tr.format().timescale())
                .initialization(c.folder() + "/" + SegmentedTrack.INIT)
                .media(c.folder() + "/seg-$Number%05d$.m4s").startNumber(1L)
                .timeline(segs.get(0).earliestPts(), segs.stream().map(SegmentInfo::duration).toList()).build();
    }

    private static byte[] manifest(Path dir, TitleTracks t, List<ContentKeys.Generated> keys) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("titleId", t.titleId());
        root.put("durationSeconds", t.durationSeconds());
        root.put("segmentSeconds", t.segmentSeconds());
        root.put("protection", t.protection().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        root.put("videoEncoder", t.videoEncoder());
        root.put("hls", MASTER);
        if (t.protection().dash()) {
            root.put("dash", MPD);
        }
        ArrayNode video = root.putArray("video");
        for (TitleTracks.VideoTrack v : t.video()) {
            Rung r = v.rung();
            video.addObject().put("name", r.name()).put("width", r.width()).put("height", r.height())
                    .put("bitrate", r.bitrate()).put("maxBitrate", r.maxBitrate())
                    .put("frameRate", r.frameRate().toString()).put("codecs", v.track().format().codecs())
                    .put("segments", v.track().segments(0).size()).put("playlist", r.name() + ".m3u8");
        }
        ArrayNode audio = root.putArray("audio");
        for (SegmentedTrack a : t.audio()) {
            TrackFormat f = a.format();
            audio.addObject().put("name", a.name()).put("language", f.language()).put("codecs", f.codecs())
                    .put("channels", f.channels()).put("sampleRate", f.sampleRate()).put("bitrate", f.bitrate())
                    .put("segments", a.segments(0).size()).put("playlist", a.name() + ".m3u8");
        }
        ArrayNode subs = root.putArray("subtitles");
        for (SubtitleTrack st : t.subtitles()) {
            subs.addObject().put("name", st.name()).put("language", st.language()).put("label", st.label())
                    .put("file", st.vttFile()).put("playlist", st.playlist()).put("cues", st.cues().size())
                    .put("source", st.source());
        }
        Thumbnails th = t.thumbnails();
        if (th != null) {
            ObjectNode tn = root.putObject("thumbnails");
            tn.put("vtt", th.vtt()).put("intervalSeconds", th.intervalSeconds()).put("count", th.cues().size())
                    .put("tileWidth", th.tileWidth()).put("tileHeight", th.tileHeight())
                    .put("columns", th.columns()).put("rows", th.rows());
            ArrayNode sh = tn.putArray("sheets");
            th.sheets().forEach(sh::add);
            root.putObject("poster").put("file", th.poster()).put("width", th.posterWidth())
                    .put("height", th.posterHeight()).put("timeSeconds", th.posterSeconds());
        }
        ArrayNode k = root.putArray("keys");
        for (ContentKeys.Generated g : keys) {
            k.addObject().put("kid", g.kid().toHex()).put("scheme", g.scheme());
        }
        ObjectNode files = root.putObject("files");
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(Files::isRegularFile).sorted().toList();
        }
        java.util.Map<String, String> known = new java.util.HashMap<>();
        t.video().forEach(v -> known.putAll(v.track().digests()));
        t.audio().forEach(a -> known.putAll(a.digests()));
        for (Path p : all) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            if (!rel.equals(MANIFEST)) {
                String d = known.get(rel);
                files.put(rel, d != null ? d : sha256(p));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** @return the SHA-256 of bytes in lowercase hex */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the SHA-256 of a file in lowercase hex */
    public static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
