package dev.kino.control.recommend;

/**
 * How strongly each thing a viewer does says "I like this title": the weights the background job gives the
 * platform's signals before they are summed per (viewer, title) in {@link Interactions}. The offline generator writes
 * weights in the same vocabulary (1 a start, 3 watched through, 5 watched through and liked).
 *
 * <table>
 *   <caption>signal weights</caption>
 *   <tr><th>signal</th><th>weight</th></tr>
 *   <tr><td>a media item started (saved position &gt; 0)</td><td>{@value #STARTED}</td></tr>
 *   <tr><td>a media item watched through (position ≥ 95% of its duration), each, up to {@value #MAX_FINISHED} per
 *   title</td><td>{@value #FINISHED}</td></tr>
 *   <tr><td>a score of 1 to 10</td><td>{@link #rating(int)}: -3 for 1, rising to +3 for 10; 5 and 6 are -1/3 and +1/3</td></tr>
 *   <tr><td>a like / a dislike</td><td>{@value #LIKE} / {@value #DISLIKE}</td></tr>
 *   <tr><td>a watchlist add</td><td>{@value #WATCHLIST}</td></tr>
 *   <tr><td>following the title's forum thread</td><td>{@value #FOLLOW}</td></tr>
 *   <tr><td>a taste pick at sign-up (title)</td><td>{@value #TASTE_PICK}</td></tr>
 * </table>
 *
 * A (viewer, title) pair whose summed weight is zero or less is known to the viewer (never recommended to them) but
 * trains nothing.
 */
public final class Signals {
    /** A media item of the title started. */
    public static final float STARTED = 1f;
    /** A media item of the title watched through: counts more than a start. */
    public static final float FINISHED = 3f;
    /** Most finished items of one title that count (a long series is not worth 300 films). */
    public static final int MAX_FINISHED = 4;
    /** A like of the title or one of its media items. */
    public static final float LIKE = 2f;
    /** A dislike. */
    public static final float DISLIKE = -4f;
    /** The title added to the watchlist. */
    public static final float WATCHLIST = 1.5f;
    /** The title's discussion thread followed. */
    public static final float FOLLOW = 1f;
    /** A title picked as a taste at sign-up. */
    public static final float TASTE_PICK = 2f;
    /** A media item counts as watched through from this share of its duration (as continue-watching has it). */
    public static final double FINISHED_FRACTION = 0.95;

    private Signals() {
    }

    /**
     * @param score 1 to 10
     * @return its weight: (score - 5.5) · 2/3 rounded to a third, so 10 → +3, 8 → +1.67, 5 or 6 → ±0.33, 1 → -3
     */
    public static float rating(int score) {
        return (float) ((score - 5.5) * 2 / 3);
    }

    /**
     * @param positionSeconds saved position
     * @param durationSeconds the media item's duration, null when unknown
     * @return the weight of one saved position: {@link #FINISHED} from 95% of the duration, else {@link #STARTED}
     *         (0 for a position of 0)
     */
    public static float progress(int positionSeconds, Integer durationSeconds) {
        if (positionSeconds <= 0) {
            return 0;
        }
        return durationSeconds != null && durationSeconds > 0 && positionSeconds >= durationSeconds * FINISHED_FRACTION
                ? FINISHED : STARTED;
    }
}
