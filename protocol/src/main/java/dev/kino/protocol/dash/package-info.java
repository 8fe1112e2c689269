/**
 * DASH Media Presentation Descriptions for static (VOD) presentations: an immutable model, a deterministic
 * writer, and the Common Encryption signalling that goes with it.
 *
 * <p>Standards: ISO/IEC 23009-1 (MPEG-DASH; MPD namespace {@code urn:mpeg:dash:schema:mpd:2011}), the DASH-IF
 * Interoperability Points (IOP), ISO/IEC 23001-7 (Common Encryption; {@code cenc} namespace
 * {@code urn:mpeg:cenc:2013}, {@code pssh} box §8.1).
 *
 * <p>Model, outermost first: {@link dev.kino.protocol.dash.Mpd} → {@link dev.kino.protocol.dash.Period} →
 * {@link dev.kino.protocol.dash.AdaptationSet} (with {@link dev.kino.protocol.dash.Role},
 * {@link dev.kino.protocol.dash.ContentProtection}, {@link dev.kino.protocol.dash.SegmentTemplate}) →
 * {@link dev.kino.protocol.dash.Representation}. Each is a record validated on construction (an
 * {@link java.lang.IllegalArgumentException} or {@link java.lang.NullPointerException} whose message names the field),
 * built with {@code X.builder()} returning an {@code XBuilder}. Lists are copied and unmodifiable; nullable
 * components are documented as such.
 *
 * <p>Units: segment times and durations ({@link dev.kino.protocol.dash.SegmentTimeline},
 * {@link dev.kino.protocol.dash.SegmentTemplate}) are integer ticks of the template's {@code timescale};
 * presentation-level times ({@code mediaPresentationDuration}, {@code minBufferTime}, Period start and duration)
 * are {@link java.time.Duration}s written as {@code xs:duration} ({@link dev.kino.protocol.dash.XsDuration});
 * bandwidth is bits per second; sizes are pixels; sample rates are Hz.
 *
 * <p>{@link dev.kino.protocol.dash.MpdWriter} turns the model into XML; {@link dev.kino.protocol.dash.Pssh} builds
 * {@code pssh} boxes (also for init segments). Pure code, no I/O.
 */
package dev.kino.protocol.dash;
