package dev.kino.packager.source;

import dev.kino.packager.PackagingException;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.global.avutil;

import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Small helpers around the FFmpeg C API shared by the packager's packages. */
public final class Ffmpeg {
    static {
        // FFmpeg logs to stderr by default; errors surface as PackagingException messages instead.
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private Ffmpeg() {
    }

    /** Loads the natives and sets FFmpeg's log level; idempotent. */
    public static void init() {
        // the static initializer does the work
    }

    /**
     * @param code a negative FFmpeg error code ({@code AVERROR(...)})
     * @return FFmpeg's text for it, e.g. "Invalid data found when processing input"
     */
    public static String errorText(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /**
     * @param ret the return value of an FFmpeg call
     * @param what what was being done, naming the file or track
     * @return {@code ret} when it is not negative
     * @throws PackagingException when it is
     */
    public static int check(int ret, String what) {
        if (ret < 0) {
            throw new PackagingException(what + ": " + errorText(ret));
        }
        return ret;
    }

    /**
     * @param dict an FFmpeg dictionary (may be null)
     * @param key the key, matched case-insensitively
     * @return the value, or null
     */
    public static String tag(AVDictionary dict, String key) {
        if (dict == null || dict.isNull()) {
            return null;
        }
        AVDictionaryEntry e = av_dict_get(dict, key, null, 0);
        if (e == null || e.isNull() || e.value() == null) {
            return null;
        }
        String v = e.value().getString();
        return v == null || v.isBlank() ? null : v;
    }
}
