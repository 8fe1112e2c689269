package dev.kino.packager.output;

import dev.kino.common.packaging.VerificationDepth;
import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.packager.source.Ffmpeg;
import dev.kino.packager.subtitle.WebVtt;
import dev.kino.packager.thumbs.Jpeg;
import dev.kino.packager.thumbs.Thumbnails;
import dev.kino.protocol.hls.IFrameVariantStream;
import dev.kino.protocol.hls.MediaPlaylist;
import dev.kino.protocol.hls.MediaSegment;
import dev.kino.protocol.hls.MultivariantPlaylist;
import dev.kino.protocol.hls.PlaylistParseException;
import dev.kino.protocol.hls.PlaylistParser;
import dev.kino.protocol.hls.Rendition;
import dev.kino.protocol.hls.VariantStream;
import dev.kino.protocol.key.HlsAes128;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

/**
 * Checks a written title before it is published: every playlist parses (RFC 8216 grammar, through
 * {@link PlaylistParser}), the MPD is well-formed and consistent with what was written ({@link MpdVerifier}: namespace,
 * renditions, segment files, {@code ContentProtection} and key ids), every file they reference exists and is non-empty, each
 * media playlist's total duration is within one segment of the source's, the thumbnail track and subtitles are
 * sound, and every rendition goes through FFmpeg (AES-128 segments decrypted with the title key first;
 * {@code cenc} segments through the mp4 demuxer's {@code decryption_key}):
 * <ul>
 *   <li>video, segment by segment ({@link SegmentVerifier}, usually while the transcode is still running): each
 *       segment demuxes on its own to exactly the samples written and decodes from the initialization section
 *       (every IDR picture, or every picture: {@link VerificationDepth}); the rendition has exactly the frames
 *       its encoder was fed and the source's frame count times the rung's frame-rate ratio, within one frame per
 *       segment (plus one per GOP on half-rate rungs); a second copy (a title protected for both HLS AES-128 and
 *       DASH {@code cenc}) gives exactly the same packets as the first;</li>
 *   <li>audio, whole: every frame is decoded, one per AAC frame written less the priming frame the edit list
 *       hides; a second copy gives the same packets.</li>
 * </ul>
 * Video is decoded without the in-loop deblocking filter (every slice is still parsed and reconstructed; the filter
 * cannot fail).
 */
public final class OutputVerifier {
    private OutputVerifier() {
    }

    /**
     * What the transcode produced, to check decoded frame counts against.
     *
     * @param sourceFrames video frames decoded from the source
     * @param videoFrames frames fed to each video rendition's encoder, by rendition name ({@code video-720p})
     * @param gopSeconds the ladder's GOP duration, seconds
     */
    public record FrameCounts(long sourceFrames, java.util.Map<String, Long> videoFrames, int gopSeconds) {
        /** Copies the map. */
        public FrameCounts {
            videoFrames = java.util.Map.copyOf(videoFrames);
        }
    }

    /**
     * @param dir the written title folder
     * @param t what was written
     * @param sourceSeconds the source's duration, seconds
     * @throws PackagingException naming the first problem found
     */
    public static void verify(Path dir, TitleTracks t, double sourceSeconds) {
        verify(dir, t, sourceSeconds, null);
    }

    /**
     * @param dir the written title folder
     * @param t what was written
     * @param sourceSeconds the source's duration, seconds
     * @param counts the transcode's frame counts, or null to check decoded frames against the samples written only
     * @throws PackagingException naming the first problem found
     */
    public static void verify(Path dir, TitleTracks t, double sourceSeconds, FrameCounts counts) {
        verify(dir, t, sourceSeconds, counts, null);
    }

    /**
     * @param dir the written title folder
     * @param t what was written
     * @param sourceSeconds the source's duration, seconds
     * @param counts the transcode's frame counts, or null to check decoded frames against the samples written only
     * @param segments the verifier the video tracks' segments were given to as they were written (its checks are
     *                 awaited here; the caller closes it), or null to check every video segment now
     * @throws PackagingException naming the first problem found
     */
    public static void verify(Path dir, TitleTracks t, double sourceSeconds, FrameCounts counts,
                              SegmentVerifier segments) {
        String title = t.titleId();
        MultivariantPlaylist master;
        try {
            master = PlaylistParser.parseMultivariant(read(dir, TitleWriter.MASTER, title));
        } catch (PlaylistParseException e) {
            throw new PackagingException(title + ": " + TitleWriter.MASTER + " does not parse: " + e.getMessage(), e);
        }
        List<String> media = new ArrayList<>();
        master.variants().stream().map(VariantStream::uri).forEach(media::add);
        master.renditions().forEach(r -> r.uri().ifPresent(media::add));
        List<String> iframes = master.iFrameVariants().stream().map(IFrameVariantStream::uri).toList();
        if (master.variants().size() != t.video().size()) {
            throw new PackagingException(title + ": master playlist lists " + master.variants().size()
                    + " variants, expected " + t.video().size());
        }
        for (String uri : media) {
            MediaPlaylist p = parseMedia(dir, uri, title);
            double total = p.segments().stream().mapToDouble(s -> s.duration().toNanos() / 1e9).sum();
            if (Math.abs(total - sourceSeconds) > t.segmentSeconds()) {
                throw new PackagingException(title + ": " + uri + " lasts " + total + " s but the source lasts "
                        + sourceSeconds + " s");
            }
        }
        iframes.forEach(uri -> parseMedia(dir, uri, title));
        if (t.protection().dash()) {
            MpdVerifier.verify(dir, t);
        } else if (Files.exists(dir.resolve(TitleWriter.MPD))) {
            throw new PackagingException(title + ": " + TitleWriter.MPD + " exists, but " + t.protection()
                    + " titles have no DASH presentation");
        }
        if (t.thumbnails() != null) {
            checkThumbnails(dir, t);
        }
        for (SubtitleTrack st : t.subtitles()) {
            checkSubtitles(dir, st, t);
        }
        SegmentVerifier sv = segments;
        if (sv == null) {
            // after the fact there is no digest of the samples as written: decode every frame of the first copy
            // and compare the other copies with it
            sv = SegmentVerifier.perCore(dir, title, VerificationDepth.EVERY_FRAME);
            for (TitleTracks.VideoTrack v : t.video()) {
                for (int c = 0; c < v.track().copies().size(); c++) {
                    for (SegmentInfo s : v.track().segments(c)) {
                        sv.written(v.track(), c, s, null);
                    }
                    for (SegmentInfo s : v.track().iFrameFiles(c)) {
                        sv.writtenIFrame(v.track(), c, s, null);
                    }
                }
            }
        }
        List<java.util.concurrent.Callable<Void>> jobs = new ArrayList<>();
        java.util.Map<SegmentedTrack, byte[][]> digests = new java.util.HashMap<>();
        for (SegmentedTrack tr : t.audio()) {
            byte[][] d = new byte[tr.copies().size()][];
            digests.put(tr, d);
            for (int c = 0; c < tr.copies().size(); c++) {
                int copy = c;
                jobs.add(() -> {
                    d[copy] = decodeAudioCopy(dir, tr, copy, t, copy == 0);
                    return null;
                });
            }
        }
        java.util.Map<String, java.util.SortedMap<Integer, SegmentVerifier.Result>> checked;
        try {
            runAll(jobs, title);
            checked = sv.await();
        } finally {
            if (segments == null) {
                sv.close();
            }
        }
        for (TitleTracks.VideoTrack v : t.video()) {
            checkVideo(v, checked, t, counts);
        }
        for (SegmentedTrack tr : t.audio()) {
            byte[][] d = digests.get(tr);
            for (int c = 1; c < d.length; c++) {
                if (!java.util.Arrays.equals(d[0], d[c])) {
                    throw new PackagingException(title + ": " + tr.copies().get(c).folder() + " does not"
                            + " decrypt to the samples of " + tr.copies().get(0).folder() + ", which decode");
                }
            }
        }
    }

    /**
     * A video rendition's per-segment checks: every written segment of every copy was checked and gave exactly
     * the samples written (the checks themselves are {@link SegmentVerifier}'s); the whole rendition has exactly the
     * frames its encoder was fed and the source's frame count times the rung's frame-rate ratio (within one frame per
     * segment, plus one per GOP on half-rate rungs); every further copy's segments demux and decrypt to the same
     * packets as the first's.
     */
    private static void checkVideo(TitleTracks.VideoTrack video, java.util.Map<String,
            java.util.SortedMap<Integer, SegmentVerifier.Result>> checked, TitleTracks t, FrameCounts counts) {
        SegmentedTrack tr = video.track();
        List<SegmentInfo> first = tr.segments(0);
        for (int c = 0; c < tr.copies().size(); c++) {
            SegmentCopy copy = tr.copies().get(c);
            String what = t.titleId() + ": " + copy.folder();
            List<SegmentInfo> segs = tr.segments(c);
            java.util.SortedMap<Integer, SegmentVerifier.Result> rs = checked.getOrDefault(copy.folder(),
                    java.util.Collections.emptySortedMap());
            if (segs.isEmpty() || rs.size() != segs.size()) {
                throw new PackagingException(what + ": " + rs.size() + " of its " + segs.size()
                        + " segments were verified");
            }
            long samples = 0;
            for (int i = 0; i < segs.size(); i++) {
                SegmentInfo s = segs.get(i);
                SegmentVerifier.Result r = rs.get(s.number());
                if (r == null) {
                    throw new PackagingException(what + ": " + s.file() + " was not verified");
                }
                if (r.packets() == 0 || r.packets() != s.samples()) {
                    throw new PackagingException(t.titleId() + ": " + s.file() + " gave " + r.packets()
                            + " samples but " + s.samples() + " were written");
                }
                if (c > 0 && r.packetDigest() != null && !java.util.Arrays.equals(r.packetDigest(),
                        checked.get(tr.copies().get(0).folder()).get(first.get(i).number()).packetDigest())) {
                    throw new PackagingException(t.titleId() + ": " + s.file() + " does not decrypt to the samples of "
                            + first.get(i).file() + ", which decode");
                }
                samples += r.packets();
            }
            List<SegmentInfo> iFrames = tr.iFrameFiles(c);
            if (copy.aes128Key() != null && iFrames.size() != segs.size()) {
                throw new PackagingException(what + " has " + iFrames.size() + " I-frame files for " + segs.size()
                        + " segments");
            }
            java.util.SortedMap<Integer, SegmentVerifier.Result> ir = checked.getOrDefault(copy.folder() + "/iframes",
                    java.util.Collections.emptySortedMap());
            for (SegmentInfo f : iFrames) {
                SegmentVerifier.Result r = ir.get(f.number());
                if (r == null || r.packets() != 1 || r.frames() != 1) {
                    throw new PackagingException(t.titleId() + ": " + f.file() + " was not verified as one IDR picture");
                }
            }
            if (c > 0 || counts == null) {
                continue;
            }
            Long fed = counts.videoFrames().get(tr.name());
            if (fed != null && samples != fed) {
                throw new PackagingException(what + " has " + samples + " samples but its encoder was fed " + fed
                        + " frames");
            }
            boolean half = video.rung().halfRate();
            double expected = counts.sourceFrames() * (half ? 0.5 : 1.0);
            double tolerance = segs.size() + (half ? Math.ceil(t.durationSeconds()
                    / Math.max(1, counts.gopSeconds())) : 0);
            if (Math.abs(samples - expected) > tolerance) {
                throw new PackagingException(what + " has " + samples + " samples (frames), expected " + expected
                        + " ± " + tolerance + " from " + counts.sourceFrames() + " source frames");
            }
        }
    }

    private static void runAll(List<java.util.concurrent.Callable<Void>> jobs, String title) {
        int n = Math.max(1, Math.min(jobs.size(), Runtime.getRuntime().availableProcessors()));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
            Thread th = new Thread(r, "kino-verify-" + title);
            th.setDaemon(true);
            return th;
        });
        try {
            List<java.util.concurrent.Future<Void>> fs = new ArrayList<>();
            for (var j : jobs) {
                fs.add(pool.submit(j));
            }
            for (var f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    fs.forEach(x -> x.cancel(false));
                    if (e.getCause() instanceof PackagingException pe) {
                        throw new PackagingException(pe.getMessage(), pe);
                    }
                    throw new PackagingException(title + ": verification failed: " + e.getCause(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PackagingException(title + ": verification interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The thumbnail track parses as WebVTT, its cues are contiguous from 0 to the end of the video (within 50 ms),
     * every cue points into an existing JPEG sheet inside its picture, and the poster is a JPEG of the recorded
     * size.
     */
    private static void checkThumbnails(Path dir, TitleTracks t) {
        String title = t.titleId();
        Thumbnails th = t.thumbnails();
        requireFile(dir, th.vtt(), title, TitleWriter.MANIFEST);
        List<WebVtt.ParsedCue> cues;
        try {
            cues = WebVtt.parse(read(dir, th.vtt(), title));
        } catch (IllegalArgumentException e) {
            throw new PackagingException(title + ": " + th.vtt() + " does not parse: " + e.getMessage(), e);
        }
        if (cues.isEmpty()) {
            throw new PackagingException(title + ": " + th.vtt() + " has no cues");
        }
        java.util.Map<String, int[]> sizes = new java.util.HashMap<>();
        long at = 0;
        for (WebVtt.ParsedCue c : cues) {
            if (c.startMs() != at || c.endMs() <= c.startMs()) {
                throw new PackagingException(title + ": " + th.vtt() + " cue " + WebVtt.timestamp(c.startMs())
                        + " does not follow " + WebVtt.timestamp(at));
            }
            at = c.endMs();
            int hash = c.payload().indexOf("#xywh=");
            if (hash < 0) {
                throw new PackagingException(title + ": " + th.vtt() + " cue without #xywh=: " + c.payload());
            }
            String sheet = c.payload().substring(0, hash);
            int[] size = sizes.computeIfAbsent(sheet, k -> jpegSize(dir, k, title, th.vtt()));
            String[] xywh = c.payload().substring(hash + 6).split(",");
            int x = Integer.parseInt(xywh[0]);
            int y = Integer.parseInt(xywh[1]);
            int w = Integer.parseInt(xywh[2]);
            int h = Integer.parseInt(xywh[3]);
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > size[0] || y + h > size[1]) {
                throw new PackagingException(title + ": " + th.vtt() + " cue " + c.payload() + " lies outside the "
                        + size[0] + "x" + size[1] + " sheet");
            }
        }
        long expected = Math.round(t.durationSeconds() * 1000);
        if (Math.abs(at - expected) > 50) {
            throw new PackagingException(title + ": " + th.vtt() + " ends at " + WebVtt.timestamp(at)
                    + " but the video lasts " + WebVtt.timestamp(expected));
        }
        int[] poster = jpegSize(dir, th.poster(), title, TitleWriter.MANIFEST);
        if (poster[0] != th.posterWidth() || poster[1] != th.posterHeight()) {
            throw new PackagingException(title + ": " + th.poster() + " is " + poster[0] + "x" + poster[1]
                    + ", expected " + th.posterWidth() + "x" + th.posterHeight());
        }
    }

    private static int[] jpegSize(Path dir, String rel, String title, String from) {
        requireFile(dir, rel, title, from);
        try {
            return Jpeg.size(Files.readAllBytes(dir.resolve(rel)));
        } catch (IOException | IllegalArgumentException e) {
            throw new PackagingException(title + ": " + rel + " is not a readable JPEG: " + e.getMessage(), e);
        }
    }

    /** The subtitle file parses as WebVTT with the cues written, in start order, none past the video's end. */
    private static void checkSubtitles(Path dir, SubtitleTrack st, TitleTracks t) {
        String title = t.titleId();
        requireFile(dir, st.playlist(), title, TitleWriter.MASTER);
        Path vtt = dir.resolve(st.vttFile());
        List<WebVtt.ParsedCue> cues;
        try {
            cues = WebVtt.parse(Files.readString(vtt, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new PackagingException(title + ": " + st.vttFile() + " does not parse: " + e.getMessage(), e);
        }
        if (cues.size() != st.cues().size()) {
            throw new PackagingException(title + ": " + st.vttFile() + " has " + cues.size() + " cues, expected "
                    + st.cues().size());
        }
        long prev = 0;
        for (WebVtt.ParsedCue c : cues) {
            if (c.startMs() < prev || c.endMs() <= c.startMs()) {
                throw new PackagingException(title + ": " + st.vttFile() + " cue at " + WebVtt.timestamp(c.startMs())
                        + " is out of order or empty");
            }
            prev = c.startMs();
        }
    }

    private static String read(Path dir, String rel, String title) {
        try {
            return Files.readString(dir.resolve(rel), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PackagingException(title + ": cannot read " + rel, e);
        }
    }

    private static void requireFile(Path dir, String rel, String title, String from) {
        Path p = dir.resolve(rel).normalize();
        try {
            if (!p.startsWith(dir) || !Files.isRegularFile(p) || Files.size(p) == 0) {
                throw new PackagingException(title + ": " + from + " references " + rel
                        + ", which is missing or empty");
            }
        } catch (IOException e) {
            throw new PackagingException(title + ": cannot read " + rel, e);
        }
    }

    private static MediaPlaylist parseMedia(Path dir, String uri, String title) {
        requireFile(dir, uri, title, TitleWriter.MASTER);
        MediaPlaylist p;
        try {
            p = PlaylistParser.parseMedia(read(dir, uri, title));
        } catch (PlaylistParseException e) {
            throw new PackagingException(title + ": " + uri + " does not parse: " + e.getMessage(), e);
        }
        if (p.segments().isEmpty()) {
            throw new PackagingException(title + ": " + uri + " has no segments");
        }
        for (MediaSegment s : p.segments()) {
            requireFile(dir, s.uri(), title, uri);
            s.map().ifPresent(m -> requireFile(dir, m.uri(), title, uri));
        }
        return p;
    }

    /**
     * Decodes one audio copy (or, with {@code decodeFrames} false, only demuxes and decrypts it, counting packets):
     * one frame per AAC frame written, less the priming frames the edit list hides.
     *
     * @return the SHA-256 of its packets (sizes and bytes), in order
     */
    private static byte[] decodeAudioCopy(Path dir, SegmentedTrack tr, int c, TitleTracks t, boolean decodeFrames) {
        SegmentCopy copy = tr.copies().get(c);
        String what = t.titleId() + ": " + copy.folder();
        Path tmp = dir.resolve(".verify-" + copy.folder().replace('/', '-') + ".mp4");
        try {
            List<SegmentInfo> segs = tr.segments(c);
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                out.write(Files.readAllBytes(dir.resolve(copy.folder()).resolve(SegmentedTrack.INIT)));
                for (SegmentInfo s : segs) {
                    byte[] b = Files.readAllBytes(dir.resolve(s.file()));
                    if (copy.aes128Key() != null) {
                        b = Aes128Segments.decrypt(copy.aes128Key(), HlsAes128.ivForMediaSequence(s.number() - 1), b);
                    }
                    out.write(b);
                }
            }
            String key = copy.cenc().map(e -> e.key().toHex()).orElse(null);
            long written = segs.stream().mapToLong(SegmentInfo::samples).sum();
            java.security.MessageDigest md = sha256();
            Read r = read(tmp, key, AVMEDIA_TYPE_AUDIO, what, 1, PacketCheck.digesting(md),
                    decodeFrames ? Decode.ALL : Decode.NONE);
            long frames = decodeFrames ? r.frames() : r.packets();
            if (frames < segs.size()) {
                throw new PackagingException(what + " decoded only " + frames + " frames from " + segs.size()
                        + " segments");
            }
            long hidden = (tr.format().encoderDelay() + 1023) / 1024;
            if (written > 0 && (frames > written || frames < written - hidden)) {
                throw new PackagingException(what + " decoded " + frames + " audio frames but " + written
                        + " were written");
            }
            return md.digest();
        } catch (IOException | IllegalArgumentException e) {
            throw new PackagingException(what + ": cannot verify: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // swept before publishing
            }
        }
    }

    /**
     * Decodes every frame of the first stream of a type.
     *
     * @param file a fragmented MP4
     * @param cencKeyHex the {@code cenc} key in hex, or null for clear files
     * @param mediaType {@code AVMEDIA_TYPE_VIDEO} or {@code AVMEDIA_TYPE_AUDIO}
     * @param what for messages
     * @return decoded frames
     * @throws PackagingException when the file does not open or a packet fails to decode
     */
    public static long decode(Path file, String cencKeyHex, int mediaType, String what) {
        return decode(file, cencKeyHex, mediaType, what, 1);
    }

    private static void digest(java.security.MessageDigest md, AVPacket pkt) {
        int n = pkt.size();
        md.update(new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        java.nio.ByteBuffer b = pkt.data().capacity(n).asByteBuffer();
        md.update(b);
    }

    /**
     * Decodes every frame of the first stream of a type, with {@code threads} decoder threads.
     *
     * @see #decode(Path, String, int, String)
     */
    public static long decode(Path file, String cencKeyHex, int mediaType, String what, int threads) {
        return read(file, cencKeyHex, mediaType, what, threads, null, Decode.ALL).frames();
    }

    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code AV_FRAME_FLAG_KEY} of libavutil/frame.h (a macro the JavaCPP presets do not export). */
    private static final int FRAME_FLAG_KEY = 1 << 1;

    /** Sees each demuxed packet of the stream {@link #read} reads, in order; throws to fail the check. */
    @FunctionalInterface
    interface PacketCheck {
        /** @param index 0-based packet index @param pkt the packet (valid during the call only) */
        void packet(long index, AVPacket pkt);

        /** @param md digest updated with each packet's size (4 bytes, big-endian) and bytes @return that check */
        static PacketCheck digesting(java.security.MessageDigest md) {
            return (i, pkt) -> digest(md, pkt);
        }
    }

    /** Which packets of a stream {@link #read} decodes. */
    enum Decode {
        /** None: the stream is only demuxed (and decrypted). */
        NONE,
        /** Only sync samples (IDR pictures), each on its own. */
        KEYFRAMES,
        /** Every packet. */
        ALL
    }

    /**
     * What {@link #read} found.
     *
     * @param packets packets of the stream demuxed
     * @param keyPackets of which sync samples ({@code AV_PKT_FLAG_KEY})
     * @param firstIsKey whether the first packet is a sync sample
     * @param frames frames decoded
     */
    record Read(long packets, long keyPackets, boolean firstIsKey, long frames) {
    }

    /**
     * Demuxes (and decrypts) the first stream of a type and decodes its packets as {@code decode} says. A decoded
     * video frame must have the stream's dimensions, and with {@link Decode#KEYFRAMES} be a key frame.
     *
     * @param check sees every packet of the stream, or null
     * @throws PackagingException when the file does not open, a decoded packet fails or the check throws
     */
    static Read read(Path file, String cencKeyHex, int mediaType, String what, int threads, PacketCheck check,
                     Decode decode) {
        Ffmpeg.init();
        AVFormatContext fmt = new AVFormatContext(null);
        AVDictionary opts = new AVDictionary(null);
        if (cencKeyHex != null) {
            av_dict_set(opts, "decryption_key", cencKeyHex, 0);
        }
        int ret = avformat_open_input(fmt, file.toString(), null, opts);
        av_dict_free(opts);
        if (ret < 0) {
            throw new PackagingException(what + ": output does not open: " + Ffmpeg.errorText(ret));
        }
        AVCodecContext dec = null;
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            Ffmpeg.check(avformat_find_stream_info(fmt, (org.bytedeco.javacpp.PointerPointer<?>) null),
                    what + ": output stream info");
            int idx = av_find_best_stream(fmt, mediaType, -1, -1, (AVCodec) null, 0);
            Ffmpeg.check(idx, what + ": output has no stream of the expected type");
            int width = fmt.streams(idx).codecpar().width();
            int height = fmt.streams(idx).codecpar().height();
            if (decode != Decode.NONE) {
                AVCodec codec = avcodec_find_decoder(fmt.streams(idx).codecpar().codec_id());
                dec = avcodec_alloc_context3(codec);
                avcodec_parameters_to_context(dec, fmt.streams(idx).codecpar());
                dec.pkt_timebase(fmt.streams(idx).time_base());
                dec.thread_count(threads);
                if (mediaType == AVMEDIA_TYPE_VIDEO) {
                    // Every slice of every frame is still parsed and reconstructed (so a broken bitstream still
                    // fails or loses frames); only the in-loop deblocking filter, which cannot fail, is skipped
                    // (10-20% of the decode time of the benchmark's 1080p rung).
                    dec.skip_loop_filter(AVDISCARD_ALL);
                }
                Ffmpeg.check(avcodec_open2(dec, codec, (AVDictionary) null), what + ": output decoder");
            }
            long packets = 0;
            long keys = 0;
            boolean firstIsKey = false;
            long frames = 0;
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (pkt.stream_index() != idx) {
                        continue;
                    }
                    boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0;
                    if (packets == 0) {
                        firstIsKey = key;
                    }
                    if (check != null) {
                        check.packet(packets, pkt);
                    }
                    packets++;
                    keys += key ? 1 : 0;
                    if (decode == Decode.ALL || (decode == Decode.KEYFRAMES && key)) {
                        Ffmpeg.check(avcodec_send_packet(dec, pkt), what + ": output packet does not decode");
                        frames += receive(dec, frame, mediaType, decode, width, height, what);
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            if (dec != null) {
                avcodec_send_packet(dec, null);
                frames += receive(dec, frame, mediaType, decode, width, height, what);
            }
            return new Read(packets, keys, firstIsKey, frames);
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            if (dec != null) {
                avcodec_free_context(dec);
            }
            avformat_close_input(fmt);
        }
    }

    private static long receive(AVCodecContext dec, AVFrame frame, int mediaType, Decode decode, int width,
                                int height, String what) {
        long n = 0;
        while (avcodec_receive_frame(dec, frame) >= 0) {
            try {
                if (mediaType == AVMEDIA_TYPE_VIDEO && (frame.width() != width || frame.height() != height)) {
                    throw new PackagingException(what + ": a decoded picture is " + frame.width() + "x"
                            + frame.height() + ", the stream is " + width + "x" + height);
                }
                if (decode == Decode.KEYFRAMES && (frame.flags() & FRAME_FLAG_KEY) == 0) {
                    throw new PackagingException(what + ": a sync sample decoded to a picture that is not a key"
                            + " frame");
                }
                n++;
            } finally {
                av_frame_unref(frame);
            }
        }
        return n;
    }
}
