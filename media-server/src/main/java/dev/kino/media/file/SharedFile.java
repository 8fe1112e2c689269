package dev.kino.media.file;

import io.netty.channel.DefaultFileRegion;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open published file shared by every request for it while it is remembered ({@link MediaFiles}): a segment
 * request then opens nothing, and its bytes go out with {@code sendfile} at an explicit offset, which many
 * connections can do on one file descriptor at once. Reference-counted: the cache holds one reference and each
 * response in flight another; the file closes when the last is released, so an eviction never closes it under a
 * transfer.
 */
public final class SharedFile {
    private final FileMeta meta;
    private final FileChannel channel;
    private final AtomicInteger refs = new AtomicInteger(1); // the cache's

    SharedFile(FileMeta meta, FileChannel channel) {
        this.meta = meta;
        this.channel = channel;
    }

    /** @return the file's metadata when opened */
    public FileMeta meta() {
        return meta;
    }

    /** @return true when a reference was taken; false once the file is closed (the caller opens it again) */
    boolean retain() {
        for (int n = refs.get(); n > 0; n = refs.get()) {
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Releases a reference; the last one closes the file. */
    public void release() {
        if (refs.decrementAndGet() == 0) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only file: nothing lost
            }
        }
    }

    /**
     * @return a zero-copy region of the file holding one reference, released when the region is
     */
    public DefaultFileRegion region(long position, long count) {
        return new DefaultFileRegion(channel, position, count) {
            @Override
            protected void deallocate() {
                SharedFile.this.release(); // not the file: it is shared
            }
        };
    }
}
