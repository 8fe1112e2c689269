package dev.kino.protocol.dash;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Protection System Specific Header boxes ({@code pssh}, ISO/IEC 23001-7 §8.1) as bytes, for both the MPD's
 * {@code <cenc:pssh>} (base64 of the whole box) and the packager's init segments ({@code moov/pssh}).
 *
 * <p>Layout, all integers big-endian:
 * <pre>
 * uint32 size; 'pssh'; uint8 version; uint24 flags = 0;
 * uint8[16] SystemID;
 * if (version &gt; 0) { uint32 KID_count; uint8[16] KID[KID_count]; }
 * uint32 DataSize; uint8[DataSize] Data;
 * </pre>
 * Pure functions; UUIDs map to 16 bytes most significant byte first (as in {@code cenc:default_KID}).
 */
public final class Pssh {

    /** Widevine's DRM system ID. */
    public static final UUID WIDEVINE_SYSTEM_ID = UUID.fromString("edef8ba9-79d6-4ace-a3c8-27dcd51d21ed");

    /**
     * The W3C "Common PSSH box" system ID (W3C EME "cenc" Initialization Data Format): a version-1 box whose KIDs are
     * what a Clear Key CDM puts in its licence request, with no data.
     */
    public static final UUID W3C_COMMON_SYSTEM_ID = UUID.fromString("1077efec-c0b2-4d02-ace3-3c1e52e2fb4b");

    /** The DASH-IF Clear Key system ID (DASH-IF IOP, Clear Key). Used in MPDs; not usually a pssh box. */
    public static final UUID DASHIF_CLEARKEY_SYSTEM_ID = UUID.fromString("e2719d58-a985-b3c9-781a-b030af78d30e");

    /** Most KIDs put into one box, a sanity cap. */
    public static final int MAX_KIDS = 1024;

    private static final int HEADER = 8 + 4 + 16;

    private Pssh() {
    }

    /**
     * Builds a complete {@code pssh} box: version 1 with the KIDs when {@code kids} is non-empty, else version 0.
     *
     * @param systemId the DRM system ID
     * @param kids key IDs for a version-1 box (in the order given); empty for version 0
     * @param data the system-specific data; null or empty for none
     * @return the box bytes, {@code size} field included
     * @throws IllegalArgumentException if there are more than {@value #MAX_KIDS} KIDs or the box would exceed 2^31-1
     *         bytes
     */
    public static byte[] box(UUID systemId, List<UUID> kids, byte[] data) {
        Objects.requireNonNull(systemId, "systemId");
        Objects.requireNonNull(kids, "kids");
        MpdValues.noNulls(kids, "kids");
        if (kids.size() > MAX_KIDS) {
            throw new IllegalArgumentException("kids: " + kids.size() + " KIDs, at most " + MAX_KIDS);
        }
        byte[] d = data == null ? new byte[0] : data;
        int version = kids.isEmpty() ? 0 : 1;
        long size = (long) HEADER + (version == 1 ? 4 + 16L * kids.size() : 0) + 4 + d.length;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pssh box too large: " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.putInt((int) size).put(new byte[] {'p', 's', 's', 'h'}).putInt(version << 24);
        putUuid(b, systemId);
        if (version == 1) {
            b.putInt(kids.size());
            kids.forEach(k -> putUuid(b, k));
        }
        b.putInt(d.length).put(d);
        return b.array();
    }

    /**
     * The W3C common {@code pssh} box: version 1, {@link #W3C_COMMON_SYSTEM_ID}, the KIDs, no data.
     *
     * @param kids at least one key ID
     * @return the box bytes
     * @throws IllegalArgumentException if {@code kids} is empty
     */
    public static byte[] w3cCommonBox(List<UUID> kids) {
        if (Objects.requireNonNull(kids, "kids").isEmpty()) {
            throw new IllegalArgumentException("kids must not be empty for the W3C common pssh box");
        }
        return box(W3C_COMMON_SYSTEM_ID, kids, null);
    }

    /**
     * A Widevine {@code pssh} box: version 0, {@link #WIDEVINE_SYSTEM_ID}, data = {@link #widevineData}. Version 0
     * is what the widest range of Widevine CDMs accepts; call {@link #box} for a version-1 box.
     *
     * @param kids key IDs, at least one
     * @param contentId optional content ID bytes, null for none
     * @return the box bytes
     */
    public static byte[] widevineBox(List<UUID> kids, byte[] contentId) {
        return box(WIDEVINE_SYSTEM_ID, List.of(), widevineData(kids, contentId));
    }

    /**
     * Encodes the Widevine {@code WidevinePsshData} protobuf message with {@code repeated bytes key_id = 2} and
     * {@code optional bytes content_id = 4}, in field-number order (what protobuf serialisers produce): for each KID
     * {@code 0x12 0x10} then its 16 bytes; then, if present, {@code 0x22}, the content ID length as a varint, and the
     * bytes.
     *
     * @param kids key IDs, at least one
     * @param contentId optional content ID, null for none; may be empty
     * @return the protobuf bytes
     * @throws IllegalArgumentException if {@code kids} is empty or has more than {@value #MAX_KIDS} entries
     */
    public static byte[] widevineData(List<UUID> kids, byte[] contentId) {
        Objects.requireNonNull(kids, "kids");
        MpdValues.noNulls(kids, "kids");
        if (kids.isEmpty()) {
            throw new IllegalArgumentException("kids must not be empty for Widevine pssh data");
        }
        if (kids.size() > MAX_KIDS) {
            throw new IllegalArgumentException("kids: " + kids.size() + " KIDs, at most " + MAX_KIDS);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (UUID k : kids) {
            out.write(0x12); // field 2, wire type 2 (length-delimited)
            out.write(16);
            out.writeBytes(uuidBytes(k));
        }
        if (contentId != null) {
            out.write(0x22); // field 4, wire type 2
            int len = contentId.length;
            while ((len & ~0x7F) != 0) {
                out.write((len & 0x7F) | 0x80);
                len >>>= 7;
            }
            out.write(len);
            out.writeBytes(contentId);
        }
        return out.toByteArray();
    }

    /**
     * @param uuid a UUID
     * @return its 16 bytes, most significant first
     */
    public static byte[] uuidBytes(UUID uuid) {
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    /**
     * Reads the system ID of a box after checking its header: at least 32 bytes, {@code size} equal to the array
     * length, type {@code pssh}, version 0 or 1.
     *
     * @param box a pssh box
     * @return its system ID
     * @throws IllegalArgumentException if {@code box} is not a well-formed pssh box
     */
    public static UUID systemIdOf(byte[] box) {
        Objects.requireNonNull(box, "pssh box");
        if (box.length < HEADER + 4) {
            throw new IllegalArgumentException("pssh box too short: " + box.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(box);
        int size = b.getInt();
        if (size != box.length) {
            throw new IllegalArgumentException("pssh box size field " + size + " != length " + box.length);
        }
        if (b.get() != 'p' || b.get() != 's' || b.get() != 's' || b.get() != 'h') {
            throw new IllegalArgumentException("not a pssh box: wrong box type");
        }
        int version = b.get() & 0xff;
        if (version > 1) {
            throw new IllegalArgumentException("pssh box version " + version + " unsupported");
        }
        b.position(12);
        return new UUID(b.getLong(), b.getLong());
    }

    private static void putUuid(ByteBuffer b, UUID u) {
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    }
}
