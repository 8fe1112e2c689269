package dev.kino.media.access;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The titles taken down, consulted on every request (a lock-free set lookup): a revoked title answers
 * 404 at once, whatever its tokens say. Fed by the control plane (through shared state pub/sub, or
 * in-process through {@link #revoke}). Thread-safe.
 */
public final class TitleRevocations {
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Collection<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param titleId a title to take down (from now on every request for it is 404) */
    public void revoke(String titleId) {
        if (revoked.add(titleId)) {
            listeners.forEach(l -> l.accept(titleId));
        }
    }

    /** @param titleId a title to serve again */
    public void restore(String titleId) {
        revoked.remove(titleId);
    }

    /** @param titleIds the full set of taken-down titles (initial load), replacing the current one */
    public void replaceAll(Collection<String> titleIds) {
        revoked.retainAll(titleIds);
        titleIds.forEach(this::revoke);
    }

    /**
     * @param titleId a title id
     * @return true when it is taken down
     */
    public boolean isRevoked(String titleId) {
        return revoked.contains(titleId);
    }

    /** @param listener told the id of each newly revoked title (to drop cached keys) */
    public void onRevoke(Consumer<String> listener) {
        listeners.add(listener);
    }
}
