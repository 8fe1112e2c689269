package dev.kino.packager.thumbs;

import java.util.List;

/**
 * The seek-preview thumbnails and poster written for a title.
 *
 * @param vtt the WebVTT thumbnail track's file name, relative to the title root ({@code thumbnails.vtt})
 * @param sheets the JPEG sprite sheets in order ({@code thumbs-001.jpg}, …), relative to the title root
 * @param cues the cues of the VTT track, in time order, contiguous from 0 to the end of the video
 * @param intervalSeconds the time between two thumbnails, seconds
 * @param tileWidth width of one thumbnail in pixels (even)
 * @param tileHeight height of one thumbnail in pixels (even; the source's display aspect kept)
 * @param columns thumbnails per sheet row
 * @param rows thumbnail rows of a full sheet (the last sheet may have fewer)
 * @param poster the poster's file name ({@code poster.jpg})
 * @param posterWidth poster width in pixels
 * @param posterHeight poster height in pixels
 * @param posterSeconds presentation time of the frame the poster shows, seconds
 */
public record Thumbnails(String vtt, List<String> sheets, List<Cue> cues, double intervalSeconds, int tileWidth,
                         int tileHeight, int columns, int rows, String poster, int posterWidth, int posterHeight,
                         double posterSeconds) {
    /** Copies the lists. */
    public Thumbnails {
        sheets = List.copyOf(sheets);
        cues = List.copyOf(cues);
    }

    /**
     * One thumbnail cue: {@code start --> end} and the media fragment {@code sheet#xywh=x,y,w,h}
     * (W3C Media Fragments URI 1.0 §4.2.2 spatial dimension, pixels).
     *
     * @param startMs start, milliseconds
     * @param endMs end, milliseconds (exclusive)
     * @param sheet the sheet file
     * @param x left of the tile in the sheet, pixels
     * @param y top of the tile, pixels
     * @param w tile width
     * @param h tile height
     */
    public record Cue(long startMs, long endMs, String sheet, int x, int y, int w, int h) {
        /** @return the cue payload, e.g. {@code thumbs-001.jpg#xywh=0,0,160,90} */
        public String payload() {
            return sheet + "#xywh=" + x + "," + y + "," + w + "," + h;
        }
    }
}
