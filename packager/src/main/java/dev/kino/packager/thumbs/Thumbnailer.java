package dev.kino.packager.thumbs;

import dev.kino.packager.PackagingException;
import dev.kino.packager.source.Ffmpeg;
import dev.kino.packager.subtitle.WebVtt;
import dev.kino.packager.transcode.FrameTap;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

/**
 * Makes seek-preview thumbnails and the poster from the frames the transcoder already decoded (a {@link FrameTap}:
 * no second decode).
 *
 * <p>Thumbnails: one every {@code interval} seconds ({@code max(2, ceil(duration / 200))}, so a title has at most
 * about 200), the first frame at or after each multiple of the interval, scaled to {@value #TILE_WIDTH} pixels wide
 * (display aspect kept, sample aspect ratio applied, height even), tiled {@value #COLUMNS}×{@value #ROWS} into JPEG
 * sprite sheets {@code thumbs-001.jpg}, {@code thumbs-002.jpg}, … (the last sheet only as tall as its rows), and
 * listed in {@value #VTT}, a WebVTT file (W3C WebVTT §4) whose cue payloads are media fragments
 * {@code thumbs-001.jpg#xywh=0,0,160,90}: the de-facto thumbnail track format read by hls.js/Video.js, JW Player
 * and Shaka. Cues are contiguous from 0 to the end of the video.
 *
 * <p>Poster: {@value #POSTER}, the first frame at or after 10% of the duration that is not black (fewer than 2% of
 * its pixels brighter than luma 40), looking at most {@code max(5 s, 20%)} past that point, else the frame at 10%;
 * the display aspect kept, at most {@value #POSTER_MAX_WIDTH} pixels wide, never upscaled.
 *
 * <p>Runs on the demuxing thread; scaling uses libswscale (area filter), encoding FFmpeg's {@code mjpeg}
 * ({@link Jpeg}). Every native resource is freed by {@link #close()}.
 */
public final class Thumbnailer implements FrameTap {
    /** The WebVTT thumbnail track. */
    public static final String VTT = "thumbnails.vtt";
    /** The poster. */
    public static final String POSTER = "poster.jpg";
    /** Sprite sheet name pattern; {@code %03d} is the 1-based sheet number. */
    public static final String SHEET_PATTERN = "thumbs-%03d.jpg";
    /** Thumbnail width, pixels. */
    public static final int TILE_WIDTH = 160;
    /** Thumbnails per sheet row. */
    public static final int COLUMNS = 10;
    /** Rows of a full sheet. */
    public static final int ROWS = 10;
    /** The most thumbnails a title should get (sets the interval). */
    public static final int MAX_TILES = 200;
    /** The widest poster, pixels. */
    public static final int POSTER_MAX_WIDTH = 1280;
    private static final int TICKS = 90_000;
    private static final int QSCALE_TILES = 5;
    private static final int QSCALE_POSTER = 3;

    private final Path dir;
    private final double durationSeconds;
    private final long intervalTicks;
    private final long posterTarget;
    private final long posterLimit;
    private final String what;
    private int tileW;
    private int tileH;
    private int posterW;
    private int posterH;
    private SwsContext tileSws;
    private SwsContext posterSws;
    private AVFrame tile;
    private AVFrame sheet;
    private AVFrame posterFrame;
    private AVFrame fallback;
    private boolean fallbackAtTarget;
    private long fallbackPts;
    private int count;
    private int inSheet;
    private final List<String> sheets = new ArrayList<>();
    private boolean posterDone;
    private long posterPts;
    private Thumbnails result;

    /**
     * @param dir the title folder being written (files go to its root)
     * @param durationSeconds the source duration, seconds (0 when unknown: 2 s interval, poster at the start)
     * @param what names the title in error messages
     */
    public Thumbnailer(Path dir, double durationSeconds, String what) {
        this.dir = dir;
        this.durationSeconds = Math.max(0, durationSeconds);
        this.intervalTicks = intervalSeconds(this.durationSeconds) * (long) TICKS;
        this.posterTarget = Math.round(0.1 * this.durationSeconds * TICKS);
        this.posterLimit = posterTarget + Math.round(Math.max(5.0, 0.2 * this.durationSeconds) * TICKS);
        this.what = what;
    }

    /**
     * @param durationSeconds the title's duration
     * @return the thumbnail interval in whole seconds: {@code max(2, ceil(duration / MAX_TILES))}
     */
    public static int intervalSeconds(double durationSeconds) {
        return (int) Math.max(2, Math.ceil(durationSeconds / MAX_TILES));
    }

    @Override
    public void frame(AVFrame f, long pts) {
        if (tileW == 0) {
            sizes(f);
        }
        boolean scaled = false;
        while (pts >= (long) count * intervalTicks) {
            if (!scaled) {
                tileSws = scale(tileSws, f, tile);
                scaled = true;
            }
            place();
            count++;
        }
        if (!posterDone) {
            if (fallback == null) {
                fallback = av_frame_clone(f);
                fallbackPts = pts;
            }
            if (pts >= posterTarget) {
                if (!fallbackAtTarget) {
                    av_frame_free(fallback);
                    fallback = av_frame_clone(f);
                    fallbackPts = pts;
                    fallbackAtTarget = true;
                }
                if (!scaled) {
                    tileSws = scale(tileSws, f, tile);
                }
                if (!black(tile)) {
                    poster(f, pts);
                } else if (pts >= posterLimit) {
                    poster(fallback, fallbackPts);
                }
            }
        }
    }

    @Override
    public void end(long endPts) {
        if (tileW == 0) {
            throw new PackagingException(what + ": no video frame for thumbnails");
        }
        if (inSheet > 0) {
            writeSheet();
        }
        if (!posterDone) {
            poster(fallback, fallbackPts);
        }
        List<Thumbnails.Cue> cues = new ArrayList<>();
        long endMs = Math.max(1, Math.round(endPts / 90.0));
        for (int i = 0; i < count; i++) {
            long start = Math.round(i * intervalTicks / 90.0);
            if (start >= endMs) {
                break;
            }
            long end = i == count - 1 ? endMs : Math.min(endMs, Math.round((i + 1) * intervalTicks / 90.0));
            int inS = i % (COLUMNS * ROWS);
            cues.add(new Thumbnails.Cue(start, end, sheets.get(i / (COLUMNS * ROWS)), (inS % COLUMNS) * tileW,
                    (inS / COLUMNS) * tileH, tileW, tileH));
        }
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (Thumbnails.Cue c : cues) {
            vtt.append(WebVtt.timestamp(c.startMs())).append(" --> ").append(WebVtt.timestamp(c.endMs())).append('\n')
                    .append(c.payload()).append("\n\n");
        }
        write(VTT, vtt.toString().getBytes(StandardCharsets.UTF_8));
        result = new Thumbnails(VTT, sheets, cues, intervalTicks / (double) TICKS, tileW, tileH, COLUMNS, ROWS,
                POSTER, posterW, posterH, posterPts / (double) TICKS);
    }

    /** @return what was written, after {@link #end} */
    public Thumbnails result() {
        if (result == null) {
            throw new IllegalStateException("thumbnails are not finished");
        }
        return result;
    }

    private void sizes(AVFrame f) {
        double sar = f.sample_aspect_ratio().num() > 0 && f.sample_aspect_ratio().den() > 0
                ? (double) f.sample_aspect_ratio().num() / f.sample_aspect_ratio().den() : 1.0;
        double dw = f.width() * sar;
        double dh = f.height();
        tileW = TILE_WIDTH;
        tileH = even(TILE_WIDTH * dh / dw);
        posterW = even(Math.min(POSTER_MAX_WIDTH, dw));
        posterH = even(posterW * dh / dw);
        tile = alloc(tileW, tileH);
        sheet = alloc(tileW * COLUMNS, tileH * ROWS);
        posterFrame = alloc(posterW, posterH);
        clear(sheet);
    }

    private static int even(double v) {
        return Math.max(2, (int) Math.round(v / 2) * 2);
    }

    private AVFrame alloc(int w, int h) {
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_YUVJ420P);
        f.width(w);
        f.height(h);
        f.color_range(AVCOL_RANGE_JPEG);
        Ffmpeg.check(av_frame_get_buffer(f, 0), what + ": cannot allocate a " + w + "x" + h + " picture");
        return f;
    }

    private static void clear(AVFrame f) {
        Pointer.memset(f.data(0), 0, (long) f.linesize(0) * f.height());
        Pointer.memset(f.data(1), 128, (long) f.linesize(1) * (f.height() / 2));
        Pointer.memset(f.data(2), 128, (long) f.linesize(2) * (f.height() / 2));
    }

    private SwsContext scale(SwsContext sws, AVFrame src, AVFrame dst) {
        sws = sws_getCachedContext(sws, src.width(), src.height(), src.format(), dst.width(), dst.height(),
                AV_PIX_FMT_YUVJ420P, SWS_AREA, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new PackagingException(what + ": cannot scale " + src.width() + "x" + src.height()
                    + " for thumbnails");
        }
        Ffmpeg.check(av_frame_make_writable(dst), what + ": thumbnail picture");
        sws_scale(sws, src.data(), src.linesize(), 0, src.height(), dst.data(), dst.linesize());
        return sws;
    }

    private void place() {
        int col = inSheet % COLUMNS;
        int row = inSheet / COLUMNS;
        for (int p = 0; p < 3; p++) {
            int sub = p == 0 ? 0 : 1;
            int x = (col * tileW) >> sub;
            int y = (row * tileH) >> sub;
            BytePointer dst = new BytePointer(sheet.data(p)).position((long) y * sheet.linesize(p) + x);
            av_image_copy_plane(dst, sheet.linesize(p), tile.data(p), tile.linesize(p), tileW >> sub, tileH >> sub);
        }
        inSheet++;
        if (inSheet == COLUMNS * ROWS) {
            writeSheet();
        }
    }

    private void writeSheet() {
        int rows = (inSheet + COLUMNS - 1) / COLUMNS;
        int cols = sheets.isEmpty() && rows == 1 ? inSheet : COLUMNS;
        String name = String.format(SHEET_PATTERN, sheets.size() + 1);
        byte[] jpeg;
        if (rows == ROWS && cols == COLUMNS) {
            jpeg = Jpeg.encode(sheet, QSCALE_TILES, what + " " + name);
        } else {
            AVFrame part = alloc(cols * tileW, rows * tileH);
            try {
                for (int p = 0; p < 3; p++) {
                    int sub = p == 0 ? 0 : 1;
                    av_image_copy_plane(part.data(p), part.linesize(p), sheet.data(p), sheet.linesize(p),
                            (cols * tileW) >> sub, (rows * tileH) >> sub);
                }
                jpeg = Jpeg.encode(part, QSCALE_TILES, what + " " + name);
            } finally {
                av_frame_free(part);
            }
        }
        write(name, jpeg);
        sheets.add(name);
        inSheet = 0;
        Ffmpeg.check(av_frame_make_writable(sheet), what + ": thumbnail sheet");
        clear(sheet);
    }

    /** @return true when fewer than 2% of the (full-range) luma samples exceed 40 */
    private static boolean black(AVFrame f) {
        BytePointer y = f.data(0);
        int w = f.width();
        int h = f.height();
        int ls = f.linesize(0);
        byte[] row = new byte[w];
        long bright = 0;
        for (int j = 0; j < h; j++) {
            y.position((long) j * ls).get(row, 0, w);
            for (int i = 0; i < w; i++) {
                if ((row[i] & 0xff) > 40) {
                    bright++;
                }
            }
        }
        y.position(0);
        return bright * 50 < (long) w * h;
    }

    private void poster(AVFrame f, long pts) {
        posterSws = scale(posterSws, f, posterFrame);
        write(POSTER, Jpeg.encode(posterFrame, QSCALE_POSTER, what + " " + POSTER));
        posterDone = true;
        posterPts = pts;
        if (fallback != null) {
            av_frame_free(fallback);
            fallback = null;
        }
    }

    private void write(String name, byte[] bytes) {
        try {
            Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new PackagingException(what + ": cannot write " + dir.resolve(name), e);
        }
    }

    @Override
    public void close() {
        if (tileSws != null) {
            sws_freeContext(tileSws);
            tileSws = null;
        }
        if (posterSws != null) {
            sws_freeContext(posterSws);
            posterSws = null;
        }
        for (AVFrame f : new AVFrame[]{tile, sheet, posterFrame, fallback}) {
            if (f != null) {
                av_frame_free(f);
            }
        }
        tile = null;
        sheet = null;
        posterFrame = null;
        fallback = null;
    }
}
