package dev.kino.packager.cmaf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An ISO BMFF box writer (ISO/IEC 14496-12 §4.2) over one growable byte array: big-endian integers, four-character
 * codes, and nested boxes whose 32-bit {@code size} is back-patched when the box is closed.
 *
 * <p>Allocation-conscious: one backing array that grows geometrically (give a good {@code initialCapacity}); boxes
 * are opened with {@link #start(String)} / {@link #startFull(String, int, int)} and closed with {@link #end()}, which
 * keeps a small stack of open box offsets, so no per-box objects are created. {@link #startLarge(String)} writes a box
 * with {@code size == 1} and a 64-bit {@code largesize} (§4.2), for boxes that may exceed 2^32-1 bytes.
 *
 * <p>Not thread-safe. All sizes and offsets are in bytes from the start of this writer's output.
 */
public final class BoxWriter {
    private byte[] buf;
    private int pos;
    private int[] open = new int[16];
    private boolean[] openLarge = new boolean[16];
    private int depth;

    /** @param initialCapacity expected output size in bytes (grows beyond it as needed); must not be negative */
    public BoxWriter(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** @return the number of bytes written so far (the offset of the next byte) */
    public int position() {
        return pos;
    }

    /** @return the current box nesting depth (0 outside any box) */
    public int depth() {
        return depth;
    }

    private void ensure(int n) {
        int need = pos + n;
        if (need < 0) {
            throw new IllegalStateException("box output exceeds 2 GiB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >> 1)));
        }
    }

    /**
     * Opens a box: writes a placeholder 32-bit size and the type.
     *
     * @param type the box four-cc (exactly 4 ASCII characters)
     * @return this writer
     */
    public BoxWriter start(String type) {
        push(false);
        u32(0);
        fourcc(type);
        return this;
    }

    /**
     * Opens a box with a 64-bit size: {@code size = 1}, the type, then a placeholder {@code largesize}
     * (ISO/IEC 14496-12 §4.2).
     *
     * @param type the box four-cc
     * @return this writer
     */
    public BoxWriter startLarge(String type) {
        push(true);
        u32(1);
        fourcc(type);
        u64(0);
        return this;
    }

    /**
     * Opens a full box (ISO/IEC 14496-12 §4.2): header, then 8-bit {@code version} and 24-bit {@code flags}.
     *
     * @param type the box four-cc
     * @param version 0..255
     * @param flags 0..0xFFFFFF
     * @return this writer
     */
    public BoxWriter startFull(String type, int version, int flags) {
        start(type);
        u8(version);
        u24(flags);
        return this;
    }

    private void push(boolean large) {
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
            openLarge = Arrays.copyOf(openLarge, depth * 2);
        }
        openLarge[depth] = large;
        open[depth++] = pos;
    }

    /**
     * Closes the innermost open box, writing its size.
     *
     * @return this writer
     * @throws IllegalStateException when no box is open, or a 32-bit box grew beyond 2^32-1 bytes
     */
    public BoxWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("no open box");
        }
        int start = open[--depth];
        long size = (long) pos - start;
        if (openLarge[depth]) {
            patchU64(start + 8, size);
        } else {
            if (size > 0xFFFFFFFFL) {
                throw new IllegalStateException("box too large for a 32-bit size: " + size);
            }
            patchU32(start, size);
        }
        return this;
    }

    /** @param v the low 8 bits are written @return this writer */
    public BoxWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    /** @param v the low 16 bits are written, big-endian @return this writer */
    public BoxWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** @param v the low 24 bits are written, big-endian @return this writer */
    public BoxWriter u24(int v) {
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /** @param v the low 32 bits are written, big-endian (use for signed 32-bit values too) @return this writer */
    public BoxWriter u32(long v) {
        ensure(4);
        put32(pos, v);
        pos += 4;
        return this;
    }

    /** @param v written as 64 bits, big-endian @return this writer */
    public BoxWriter u64(long v) {
        ensure(8);
        put32(pos, v >>> 32);
        put32(pos + 4, v);
        pos += 8;
        return this;
    }

    /**
     * @param type four ASCII characters
     * @return this writer
     * @throws IllegalArgumentException when {@code type} is not 4 characters
     */
    public BoxWriter fourcc(String type) {
        if (type.length() != 4) {
            throw new IllegalArgumentException("four-cc must be 4 characters: " + type);
        }
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) type.charAt(i);
        }
        return this;
    }

    /** @param b bytes to copy @return this writer */
    public BoxWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /**
     * @param b source array
     * @param off first byte
     * @param len number of bytes
     * @return this writer
     */
    public BoxWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** @param n number of zero bytes to write @return this writer */
    public BoxWriter zeros(int n) {
        ensure(n);
        Arrays.fill(buf, pos, pos + n, (byte) 0);
        pos += n;
        return this;
    }

    /**
     * Writes a null-terminated UTF-8 string (as in {@code hdlr.name}).
     *
     * @param s the string
     * @return this writer
     */
    public BoxWriter cstring(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        return u8(0);
    }

    /**
     * Overwrites 4 bytes already written.
     *
     * @param at byte offset, {@code at + 4 <= position()}
     * @param v the low 32 bits, big-endian
     */
    public void patchU32(int at, long v) {
        if (at < 0 || at + 4 > pos) {
            throw new IndexOutOfBoundsException("patch at " + at);
        }
        put32(at, v);
    }

    /**
     * Overwrites 8 bytes already written.
     *
     * @param at byte offset, {@code at + 8 <= position()}
     * @param v the value, big-endian
     */
    public void patchU64(int at, long v) {
        if (at < 0 || at + 8 > pos) {
            throw new IndexOutOfBoundsException("patch at " + at);
        }
        put32(at, v >>> 32);
        put32(at + 4, v);
    }

    private void put32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /**
     * The backing array, valid up to {@link #position()}, without a copy. Used to encrypt in place; do not keep it
     * across further writes (it may be replaced when the writer grows).
     *
     * @return the live backing array
     */
    byte[] array() {
        return buf;
    }

    /**
     * @return the bytes written: the backing array itself when it is exactly full (size the writer well to avoid
     *         a copy), else a copy; do not write further after calling this
     * @throws IllegalStateException when a box is still open
     */
    public byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " box(es) still open");
        }
        return buf.length == pos ? buf : Arrays.copyOf(buf, pos);
    }
}
