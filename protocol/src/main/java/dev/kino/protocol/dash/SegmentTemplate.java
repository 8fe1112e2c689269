package dev.kino.protocol.dash;

import dev.kino.protocol.internal.Require;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code SegmentTemplate} (ISO/IEC 23009-1 §5.3.9.4) with optional {@link SegmentTimeline}. All times are in
 * ticks of {@link #timescale()} per second.
 *
 * <p>URL templates (§5.3.9.4.4) may use {@code $RepresentationID$}, {@code $Number$}, {@code $Time$},
 * {@code $Bandwidth$} (the last three optionally with a width tag such as {@code $Number%05d$}) and {@code $$}.
 * Rules enforced at construction: {@code media} uses {@code $Number$} or {@code $Time$} but not both; {@code $Time$}
 * needs a timeline; {@code $Number$} needs a timeline or a {@code duration}; a timeline and a {@code duration}
 * exclude each other; {@code initialization} uses neither {@code $Number$} nor {@code $Time$}.
 *
 * @param timescale ticks per second, &gt; 0 (e.g. 90000 for video, the sample rate for audio)
 * @param initialization URL template of the initialization segment, or null when there is none
 * @param media URL template of the media segments
 * @param startNumber number of the first segment for {@code $Number$}, &gt;= 0; null to omit (the default is 1)
 * @param presentationTimeOffset ticks to subtract from media times to get period time, &gt;= 0; written only if
 *        non-zero
 * @param duration constant segment duration in ticks when there is no timeline, &gt; 0; else null
 * @param timeline the exact segment times, or null
 */
public record SegmentTemplate(long timescale, String initialization, String media, Long startNumber,
                              long presentationTimeOffset, Long duration, SegmentTimeline timeline) {

    private static final Pattern IDENT = Pattern.compile("\\$(RepresentationID|Number|Time|Bandwidth)(%0[1-9][0-9]?d)?\\$");

    /**
     * Creates the SegmentTemplate, validating the components as described on the type.
     *
     * @param timescale see {@link #timescale()}
     * @param initialization see {@link #initialization()}
     * @param media see {@link #media()}
     * @param startNumber see {@link #startNumber()}
     * @param presentationTimeOffset see {@link #presentationTimeOffset()}
     * @param duration see {@link #duration()}
     * @param timeline see {@link #timeline()}
     * @throws IllegalArgumentException if a rule above is broken (message names the field)
     */
    public SegmentTemplate {
        Require.positive("SegmentTemplate.timescale", timescale);
        MpdValues.nonBlank(media, "SegmentTemplate.media");
        MpdValues.xmlText(initialization, "SegmentTemplate.initialization");
        if (startNumber != null) {
            Require.nonNegative("SegmentTemplate.startNumber", startNumber);
        }
        Require.nonNegative("SegmentTemplate.presentationTimeOffset", presentationTimeOffset);
        if (duration != null) {
            Require.positive("SegmentTemplate.duration", duration);
        }
        Identifiers m = scan(media, "SegmentTemplate.media");
        if (m.number && m.time) {
            throw new IllegalArgumentException("SegmentTemplate.media must not use both $Number$ and $Time$");
        }
        if (!m.number && !m.time) {
            throw new IllegalArgumentException("SegmentTemplate.media must use $Number$ or $Time$: " + media);
        }
        if (m.time && timeline == null) {
            throw new IllegalArgumentException("SegmentTemplate.media uses $Time$, which needs a timeline");
        }
        if (timeline != null && duration != null) {
            throw new IllegalArgumentException("SegmentTemplate.duration must not be set together with a timeline");
        }
        if (m.number && timeline == null && duration == null) {
            throw new IllegalArgumentException("SegmentTemplate.media uses $Number$: set a timeline or a duration");
        }
        if (initialization != null) {
            Identifiers i = scan(initialization, "SegmentTemplate.initialization");
            if (i.number || i.time) {
                throw new IllegalArgumentException(
                        "SegmentTemplate.initialization must not use $Number$ or $Time$: " + initialization);
            }
        }
    }

    /**
     * @return a new builder (timescale defaults to 1)
     */
    public static SegmentTemplateBuilder builder() {
        return new SegmentTemplateBuilder();
    }

    private record Identifiers(boolean number, boolean time) {
    }

    private static Identifiers scan(String template, String field) {
        boolean number = false;
        boolean time = false;
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('$', i);
            if (open < 0) {
                break;
            }
            if (open + 1 < template.length() && template.charAt(open + 1) == '$') {
                i = open + 2;
                continue;
            }
            int close = template.indexOf('$', open + 1);
            if (close < 0) {
                throw new IllegalArgumentException(field + " has an unclosed '$' at index " + open);
            }
            String ident = template.substring(open, close + 1);
            Matcher mt = IDENT.matcher(ident);
            if (!mt.matches() || (mt.group(1).equals("RepresentationID") && mt.group(2) != null)) {
                throw new IllegalArgumentException(field + " has an unknown identifier " + ident);
            }
            number |= mt.group(1).equals("Number");
            time |= mt.group(1).equals("Time");
            i = close + 1;
        }
        return new Identifiers(number, time);
    }
}
