package dev.kino.packager.media;

/** What a track carries. */
public enum TrackKind {
    /** Coded video (H.264 in this version). */
    VIDEO,
    /** Coded audio (AAC-LC in this version). */
    AUDIO,
    /** Timed text: subtitles, written as WebVTT. */
    TEXT
}
