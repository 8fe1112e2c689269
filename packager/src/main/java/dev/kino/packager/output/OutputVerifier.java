package dev.kino.packager.output;

import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.packager.source.Ffmpeg;
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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
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
 * {@link PlaylistParser}), the MPD is well-formed XML, every file they reference exists and is non-empty, each
 * media playlist's total duration is within one segment of the source's, and every rendition decodes through
 * FFmpeg (AES-128 segments decrypted with the title key first; {@code cenc} segments through the mp4 demuxer's
 * {@code decryption_key}).
 */
public final class OutputVerifier {
    private OutputVerifier() {
    }

    /**
     * @param dir the written title folder
     * @param t what was written
     * @param sourceSeconds the source's duration, seconds
     * @throws PackagingException naming the first problem found
     */
    public static void verify(Path dir, TitleTracks t, double sourceSeconds) {
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
            checkMpd(dir, title);
        }
        for (TitleTracks.VideoTrack v : t.video()) {
            decodeAll(dir, v.track(), t, true);
        }
        for (SegmentedTrack a : t.audio()) {
            decodeAll(dir, a, t, false);
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

    private static void checkMpd(Path dir, String title) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(dir.resolve(TitleWriter.MPD).toFile());
        } catch (Exception e) {
            throw new PackagingException(title + ": " + TitleWriter.MPD + " is not well-formed XML: " + e.getMessage(), e);
        }
        NodeList templates = doc.getElementsByTagNameNS("*", "SegmentTemplate");
        if (templates.getLength() == 0) {
            throw new PackagingException(title + ": " + TitleWriter.MPD + " has no SegmentTemplate");
        }
        for (int i = 0; i < templates.getLength(); i++) {
            Element st = (Element) templates.item(i);
            requireFile(dir, st.getAttribute("initialization"), title, TitleWriter.MPD);
            int count = 0;
            NodeList ss = st.getElementsByTagNameNS("*", "S");
            for (int j = 0; j < ss.getLength(); j++) {
                String r = ((Element) ss.item(j)).getAttribute("r");
                count += 1 + (r.isEmpty() ? 0 : Integer.parseInt(r));
            }
            long start = st.hasAttribute("startNumber") ? Long.parseLong(st.getAttribute("startNumber")) : 1;
            for (long n = start; n < start + count; n++) {
                requireFile(dir, st.getAttribute("media").replace("$Number%05d$", String.format("%05d", n)), title,
                        TitleWriter.MPD);
            }
        }
    }

    private static void decodeAll(Path dir, SegmentedTrack tr, TitleTracks t, boolean video) {
        for (int c = 0; c < tr.copies().size(); c++) {
            SegmentCopy copy = tr.copies().get(c);
            Path tmp = dir.resolve(".verify-" + tr.name() + "-" + c + ".mp4");
            try {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] init = Files.readAllBytes(dir.resolve(copy.folder()).resolve(SegmentedTrack.INIT));
                all.writeBytes(init);
                for (SegmentInfo s : tr.segments(c)) {
                    byte[] b = Files.readAllBytes(dir.resolve(s.file()));
                    if (copy.aes128Key() != null) {
                        b = Aes128Segments.decrypt(copy.aes128Key(), HlsAes128.ivForMediaSequence(s.number() - 1), b);
                    }
                    all.writeBytes(b);
                }
                Files.write(tmp, all.toByteArray());
                String key = copy.cenc().isPresent() ? t.cencKey().key().toHex() : null;
                long samples = tr.segments(c).size();
                long frames = decode(tmp, key, video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO, t.titleId() + " "
                        + copy.folder());
                if (frames < samples) {
                    throw new PackagingException(t.titleId() + ": " + copy.folder() + " decoded only " + frames
                            + " frames from " + samples + " segments");
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new PackagingException(t.titleId() + ": cannot verify " + copy.folder() + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the whole temporary folder is removed on failure anyway
                }
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
            AVCodec codec = avcodec_find_decoder(fmt.streams(idx).codecpar().codec_id());
            dec = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(dec, fmt.streams(idx).codecpar());
            Ffmpeg.check(avcodec_open2(dec, codec, (AVDictionary) null), what + ": output decoder");
            long frames = 0;
            while (av_read_frame(fmt, pkt) >= 0) {
                try {
                    if (pkt.stream_index() == idx) {
                        Ffmpeg.check(avcodec_send_packet(dec, pkt), what + ": output packet does not decode");
                        while (avcodec_receive_frame(dec, frame) >= 0) {
                            frames++;
                            av_frame_unref(frame);
                        }
                    }
                } finally {
                    av_packet_unref(pkt);
                }
            }
            avcodec_send_packet(dec, null);
            while (avcodec_receive_frame(dec, frame) >= 0) {
                frames++;
                av_frame_unref(frame);
            }
            return frames;
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            if (dec != null) {
                avcodec_free_context(dec);
            }
            avformat_close_input(fmt);
        }
    }
}
