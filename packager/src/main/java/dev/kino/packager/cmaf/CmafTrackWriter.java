package dev.kino.packager.cmaf;

import dev.kino.packager.crypto.AvcSubsamples;
import dev.kino.packager.crypto.CencCipher;
import dev.kino.packager.crypto.SampleAuxInfo;
import dev.kino.packager.crypto.Subsample;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one CMAF track (ISO/IEC 23000-19): its CMAF header (the initialization segment) and its media segments,
 * each segment one CMAF fragment ({@code moof} + {@code mdat}, ISO/IEC 14496-12 §8.8), optionally protected with the
 * {@code cenc} scheme (ISO/IEC 23001-7).
 *
 * <p>Track ID is {@value #TRACK_ID}; the movie and media timescales are the track's
 * {@link TrackFormat#timescale()}; all durations are written 0 in the header (fragmented file). Supported sample
 * entries: {@code avc1} (H.264, samples in AVCC form) and {@code mp4a} (AAC). Encrypted tracks use {@code encv} /
 * {@code enca} with a {@code sinf} carrying {@code frma}, {@code schm} ({@code cenc}, version 1.0) and
 * {@code tenc}; video samples are subsample-encrypted ({@link AvcSubsamples}), audio samples entirely.
 *
 * <p>Thread-safe: segments may be written concurrently. With encryption, each call reserves a run of IVs from one
 * counter, so IVs never repeat within a writer.
 */
public final class CmafTrackWriter {
    /** The {@code track_ID} of the single track. */
    public static final int TRACK_ID = 1;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int FLAGS_SYNC = 0x02000000;     // sample_depends_on = 2 (does not depend on others)
    private static final int FLAGS_NON_SYNC = 0x01010000; // sample_depends_on = 1, sample_is_non_sync_sample = 1

    private final TrackFormat format;
    private final Optional<Encryption> encryption;
    private final boolean writeSidx;
    private final boolean video;
    private final AvcSubsamples subsamples;
    private final AtomicLong nextIv;

    /**
     * A writer without {@code sidx} boxes in its segments.
     *
     * @param format the track format
     * @param encryption the {@code cenc} protection, or empty for a clear track
     * @throws IllegalArgumentException when the sample entry is not {@code avc1} or {@code mp4a}, or does not match
     *                                  the track kind, or the decoder configuration is malformed
     */
    public CmafTrackWriter(TrackFormat format, Optional<Encryption> encryption) {
        this(format, encryption, false);
    }

    /**
     * @param format the track format
     * @param encryption the {@code cenc} protection, or empty for a clear track
     * @param writeSidx whether each segment carries a {@code sidx} (ISO/IEC 14496-12 §8.16.3) with one reference
     *                  to its fragment (the {@code styp} then also lists the {@code msix} brand)
     * @throws IllegalArgumentException as {@link #CmafTrackWriter(TrackFormat, Optional)}
     */
    public CmafTrackWriter(TrackFormat format, Optional<Encryption> encryption, boolean writeSidx) {
        this.format = Objects.requireNonNull(format, "format");
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.writeSidx = writeSidx;
        this.video = format.kind() == TrackKind.VIDEO;
        String entry = format.sampleEntry();
        if (video && !entry.equals("avc1") || !video && !entry.equals("mp4a")) {
            throw new IllegalArgumentException("unsupported sample entry " + entry + " for " + format.kind());
        }
        this.subsamples = video && encryption.isPresent()
                ? AvcSubsamples.forDecoderConfig(format.decoderConfig()) : null;
        this.nextIv = new AtomicLong(encryption.flatMap(e -> e.ivStart().isPresent()
                ? Optional.of(e.ivStart().getAsLong()) : Optional.empty()).orElseGet(RANDOM::nextLong));
    }

    /** @return the track format */
    public TrackFormat format() {
        return format;
    }

    /**
     * The CMAF header: {@code ftyp} and {@code moov} (ISO/IEC 23000-19 §7.3.1).
     *
     * @return the initialization segment bytes
     */
    public byte[] initSegment() {
        BoxWriter w = new BoxWriter(1024);
        w.start("ftyp").fourcc("iso6").u32(0).fourcc("iso6").fourcc("cmfc").fourcc("cmf2").fourcc("dash")
                .fourcc(video ? "avc1" : "mp41").end();
        w.start("moov");
        mvhd(w);
        w.start("trak");
        tkhd(w);
        edts(w);
        w.start("mdia");
        mdhd(w);
        w.startFull("hdlr", 0, 0).u32(0).fourcc(video ? "vide" : "soun").zeros(12)
                .cstring(video ? "Kino video" : "Kino audio").end();
        w.start("minf");
        if (video) {
            w.startFull("vmhd", 0, 1).u16(0).u16(0).u16(0).u16(0).end();
        } else {
            w.startFull("smhd", 0, 0).u16(0).u16(0).end();
        }
        w.start("dinf").startFull("dref", 0, 0).u32(1).startFull("url ", 0, 1).end().end().end();
        w.start("stbl");
        w.startFull("stsd", 0, 0).u32(1);
        if (video) {
            visualSampleEntry(w);
        } else {
            audioSampleEntry(w);
        }
        w.end(); // stsd
        w.startFull("stts", 0, 0).u32(0).end();
        w.startFull("stsc", 0, 0).u32(0).end();
        w.startFull("stsz", 0, 0).u32(0).u32(0).end();
        w.startFull("stco", 0, 0).u32(0).end();
        w.end(); // stbl
        w.end(); // minf
        w.end(); // mdia
        w.end(); // trak
        w.start("mvex").startFull("trex", 0, 0).u32(TRACK_ID).u32(1).u32(0).u32(0).u32(0).end().end();
        encryption.ifPresent(e -> e.psshBoxes().forEach(w::bytes));
        w.end(); // moov
        return w.toByteArray();
    }

    private void mvhd(BoxWriter w) {
        w.startFull("mvhd", 0, 0).u32(0).u32(0).u32(format.timescale()).u32(0)
                .u32(0x00010000).u16(0x0100).zeros(10);
        matrix(w);
        w.zeros(24).u32(TRACK_ID + 1).end();
    }

    private void tkhd(BoxWriter w) {
        w.startFull("tkhd", 0, 0x3).u32(0).u32(0).u32(TRACK_ID).u32(0).u32(0).zeros(8)
                .u16(0).u16(0).u16(video ? 0 : 0x0100).u16(0);
        matrix(w);
        w.u32((long) format.width() << 16).u32((long) format.height() << 16).end();
    }

    /**
     * ISO/IEC 14496-12 §8.6.5/§8.6.6 {@code edts}/{@code elst} when the track has an encoder delay: one edit,
     * {@code segment_duration} 0 (the fragmented file's duration is not known in the header; CMAF §7.5.13 and
     * FFmpeg's fragmented output do the same), {@code media_time} = the delay, rate 1.0, so presentation starts
     * after the priming samples.
     */
    private void edts(BoxWriter w) {
        long delay = format.encoderDelay();
        if (delay <= 0) {
            return;
        }
        w.start("edts");
        if (delay > 0xFFFFFFFFL / 2) {
            w.startFull("elst", 1, 0).u32(1).u64(0).u64(delay).u16(1).u16(0).end();
        } else {
            w.startFull("elst", 0, 0).u32(1).u32(0).u32(delay).u16(1).u16(0).end();
        }
        w.end();
    }

    private static void matrix(BoxWriter w) {
        w.u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    private void mdhd(BoxWriter w) {
        String lang = format.language().toLowerCase(Locale.ROOT);
        if (!lang.matches("[a-z]{3}")) {
            lang = "und";
        }
        int packed = ((lang.charAt(0) - 0x60) << 10) | ((lang.charAt(1) - 0x60) << 5) | (lang.charAt(2) - 0x60);
        w.startFull("mdhd", 0, 0).u32(0).u32(0).u32(format.timescale()).u32(0).u16(packed).u16(0).end();
    }

    private void visualSampleEntry(BoxWriter w) {
        w.start(encryption.isPresent() ? "encv" : "avc1");
        w.zeros(6).u16(1) // reserved, data_reference_index
                .u16(0).u16(0).zeros(12) // pre_defined, reserved, pre_defined[3]
                .u16(format.width()).u16(format.height())
                .u32(0x00480000).u32(0x00480000).u32(0).u16(1) // 72 dpi, reserved, frame_count
                .zeros(32) // compressorname
                .u16(0x0018).u16(0xFFFF); // depth, pre_defined = -1
        w.start("avcC").bytes(format.decoderConfig()).end();
        btrt(w);
        sinf(w, "avc1");
        w.end();
    }

    private void audioSampleEntry(BoxWriter w) {
        w.start(encryption.isPresent() ? "enca" : "mp4a");
        w.zeros(6).u16(1).zeros(8) // reserved, data_reference_index, reserved[2]
                .u16(format.channels()).u16(16).u16(0).u16(0)
                .u32((long) Math.min(format.sampleRate(), 0xFFFF) << 16);
        esds(w);
        btrt(w);
        sinf(w, "mp4a");
        w.end();
    }

    private void btrt(BoxWriter w) {
        if (format.bitrate() > 0) {
            long br = Math.min(format.bitrate(), 0xFFFFFFFFL);
            w.start("btrt").u32(0).u32(br).u32(br).end();
        }
    }

    /** ISO/IEC 14496-14 §5.6 {@code esds} with an ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5). */
    private void esds(BoxWriter w) {
        byte[] asc = format.decoderConfig();
        long br = Math.min(format.bitrate(), 0xFFFFFFFFL);
        int dsiLen = asc.length;
        int dcdLen = 13 + descriptorSize(dsiLen);
        int esLen = 3 + descriptorSize(dcdLen) + descriptorSize(1);
        w.startFull("esds", 0, 0);
        descriptorHeader(w, 0x03, esLen);
        w.u16(0).u8(0); // ES_ID, flags
        descriptorHeader(w, 0x04, dcdLen);
        w.u8(0x40).u8(0x15).u24(0).u32(br).u32(br); // MPEG-4 Audio, AudioStream, bufferSizeDB, max, avg
        descriptorHeader(w, 0x05, dsiLen);
        w.bytes(asc);
        descriptorHeader(w, 0x06, 1);
        w.u8(0x02); // SLConfigDescriptor predefined = MP4
        w.end();
    }

    private static int descriptorSize(int payload) {
        return 1 + (payload < 0x80 ? 1 : 4) + payload;
    }

    private static void descriptorHeader(BoxWriter w, int tag, int len) {
        w.u8(tag);
        if (len < 0x80) {
            w.u8(len);
        } else {
            w.u8(0x80 | (len >>> 21) & 0x7F).u8(0x80 | (len >>> 14) & 0x7F).u8(0x80 | (len >>> 7) & 0x7F)
                    .u8(len & 0x7F);
        }
    }

    /** ISO/IEC 14496-12 §8.12 protection scheme info, with ISO/IEC 23001-7 §8.2 {@code tenc}. */
    private void sinf(BoxWriter w, String original) {
        if (encryption.isEmpty()) {
            return;
        }
        Encryption e = encryption.get();
        w.start("sinf");
        w.start("frma").fourcc(original).end();
        w.startFull("schm", 0, 0).fourcc("cenc").u32(0x00010000).end();
        w.start("schi").startFull("tenc", 0, 0).u8(0).u8(0).u8(1).u8(e.ivSize()).bytes(e.kid().bytes()).end().end();
        w.end();
    }

    /**
     * Writes one media segment; see {@link #segment(int, List)}.
     *
     * @param sequenceNumber the fragment sequence number, positive, increasing along the track
     * @param samples the segment's samples in decode order, at least one
     * @return the segment bytes
     */
    public byte[] mediaSegment(int sequenceNumber, List<EncodedSample> samples) {
        return segment(sequenceNumber, samples).bytes();
    }

    /**
     * Writes one media segment holding one CMAF fragment (ISO/IEC 23000-19 §7.3.2.2; ISO/IEC 14496-12 §8.8):
     * {@code styp} (brands {@code cmfs}, {@code msdh}, {@code msix} with sidx), optional {@code sidx}, {@code moof}
     * ({@code mfhd}; {@code traf} with {@code tfhd} (default-base-is-moof), {@code tfdt} (version 1, the first
     * sample's dts), {@code trun} (data offset; per-sample duration, size, flags, and for video signed composition
     * offsets in version 1); when encrypted {@code saiz}, {@code saio} and {@code senc}), then {@code mdat}.
     *
     * <p>Decode times follow from the first sample's dts and the durations; each sample's composition offset is
     * its pts minus that decode time. Sample flags: sync samples {@code sample_depends_on = 2}, others
     * {@code sample_depends_on = 1, sample_is_non_sync_sample = 1}.
     *
     * @param sequenceNumber the {@code mfhd} sequence number, positive
     * @param samples the samples in decode order, at least one
     * @return the segment and its description
     * @throws IllegalArgumentException for no samples, a non-positive sequence number, a composition offset beyond
     *                                  32 bits, a malformed H.264 sample when encrypting, or a sample whose
     *                                  subsample information exceeds 255 bytes ({@code saiz} limit)
     */
    public CmafSegment segment(int sequenceNumber, List<EncodedSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a segment needs at least one sample");
        }
        if (sequenceNumber <= 0) {
            throw new IllegalArgumentException("sequence number must be positive, got " + sequenceNumber);
        }
        int n = samples.size();
        long base = samples.get(0).dts();
        long payload = 0;
        long duration = 0;
        long earliest = Long.MAX_VALUE;
        int[] cto = new int[n];
        for (int i = 0; i < n; i++) {
            EncodedSample s = samples.get(i);
            long offset = s.pts() - (base + duration);
            if (offset != (int) offset) {
                throw new IllegalArgumentException("composition offset of sample " + i + " exceeds 32 bits");
            }
            cto[i] = (int) offset;
            earliest = Math.min(earliest, s.pts());
            duration += s.duration();
            payload += s.data().length;
        }
        if (payload > Integer.MAX_VALUE - 65536L * 8) {
            throw new IllegalArgumentException("segment payload too large: " + payload + " bytes");
        }

        Encryption enc = encryption.orElse(null);
        SampleAuxInfo[] aux = null;
        if (enc != null) {
            aux = new SampleAuxInfo[n];
            long iv = nextIv.getAndAdd(n);
            for (int i = 0; i < n; i++) {
                byte[] ivBytes = ivBytes(iv + i, enc.ivSize());
                byte[] d = samples.get(i).data();
                List<Subsample> subs = video ? subsamples.layout(d, 0, d.length) : List.of();
                aux[i] = new SampleAuxInfo(ivBytes, subs);
                if (aux[i].auxInfoSize(video) > 255) {
                    throw new IllegalArgumentException("sample " + i + " has " + subs.size()
                            + " subsamples, too many for saiz");
                }
            }
        }

        BoxWriter w = new BoxWriter((int) payload + 256 + 24 * n + (enc == null ? 0 : 40 * n));
        w.start("styp").fourcc("cmfs").u32(0).fourcc("cmfs").fourcc("msdh");
        if (writeSidx) {
            w.fourcc("msix");
        }
        w.end();
        int sidxRefPos = -1;
        if (writeSidx) {
            w.startFull("sidx", 1, 0).u32(TRACK_ID).u32(format.timescale()).u64(earliest).u64(0).u16(0).u16(1);
            sidxRefPos = w.position();
            boolean sap = samples.get(0).sync();
            w.u32(0).u32(duration).u32(sap ? 0x90000000L : 0).end();
        }

        int moofStart = w.position();
        w.start("moof");
        w.startFull("mfhd", 0, 0).u32(sequenceNumber).end();
        w.start("traf");
        w.startFull("tfhd", 0, 0x020000).u32(TRACK_ID).end();
        w.startFull("tfdt", 1, 0).u64(base).end();
        int trunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | (video ? 0x000800 : 0);
        w.startFull("trun", video ? 1 : 0, trunFlags).u32(n);
        int dataOffsetPos = w.position();
        w.u32(0);
        for (int i = 0; i < n; i++) {
            EncodedSample s = samples.get(i);
            w.u32(s.duration()).u32(s.data().length).u32(s.sync() ? FLAGS_SYNC : FLAGS_NON_SYNC);
            if (video) {
                w.u32(cto[i]);
            }
        }
        w.end();
        if (enc != null) {
            writeSaizSaioSenc(w, aux, moofStart);
        }
        w.end(); // traf
        w.end(); // moof
        int mdatStart = w.position();
        w.patchU32(dataOffsetPos, mdatStart + 8 - moofStart);
        w.start("mdat");
        int dataStart = w.position();
        List<CmafSegment.SyncSample> syncs = new ArrayList<>();
        long decode = base;
        for (int i = 0; i < n; i++) {
            EncodedSample s = samples.get(i);
            int at = w.position();
            w.bytes(s.data());
            if (s.sync()) {
                syncs.add(new CmafSegment.SyncSample(decode + cto[i], at, s.data().length));
            }
            decode += s.duration();
        }
        w.end();
        if (enc != null) {
            CencCipher cipher = new CencCipher(enc.key().bytes());
            byte[] buf = w.array();
            int p = dataStart;
            for (int i = 0; i < n; i++) {
                int len = samples.get(i).data().length;
                cipher.apply(aux[i].iv(), buf, p, len, aux[i].subsamples());
                p += len;
            }
        }
        if (writeSidx) {
            w.patchU32(sidxRefPos, w.position() - moofStart); // reference_type 0, referenced_size
        }
        return new CmafSegment(w.toByteArray(), sequenceNumber, base, earliest, duration, n, moofStart, syncs);
    }

    /** ISO/IEC 23001-7 §7.2 {@code senc}, ISO/IEC 14496-12 §8.7.8 {@code saiz}, §8.7.9 {@code saio}. */
    private void writeSaizSaioSenc(BoxWriter w, SampleAuxInfo[] aux, int moofStart) {
        int n = aux.length;
        int first = aux[0].auxInfoSize(video);
        boolean uniform = true;
        for (SampleAuxInfo a : aux) {
            uniform &= a.auxInfoSize(video) == first;
        }
        w.startFull("saiz", 0, 0).u8(uniform ? first : 0).u32(n);
        if (!uniform) {
            for (SampleAuxInfo a : aux) {
                w.u8(a.auxInfoSize(video));
            }
        }
        w.end();
        w.startFull("saio", 0, 0).u32(1);
        int saioOffsetPos = w.position();
        w.u32(0).end();
        w.startFull("senc", 0, video ? 0x2 : 0).u32(n);
        w.patchU32(saioOffsetPos, w.position() - moofStart);
        for (SampleAuxInfo a : aux) {
            w.bytes(a.iv());
            if (video) {
                w.u16(a.subsamples().size());
                for (Subsample s : a.subsamples()) {
                    w.u16(s.clearBytes()).u32(s.protectedBytes());
                }
            }
        }
        w.end();
    }

    private static byte[] ivBytes(long v, int size) {
        byte[] iv = new byte[size];
        for (int i = 0; i < 8; i++) {
            iv[i] = (byte) (v >>> (56 - 8 * i));
        }
        return iv;
    }
}
