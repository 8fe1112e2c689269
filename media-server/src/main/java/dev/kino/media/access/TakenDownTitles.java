package dev.kino.media.access;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The titles taken down, consulted on every request (a lock-free set lookup): a taken-down title answers
 * 404 at once, whatever its tokens say. Fed by the control plane (through shared state pub/sub, or
 * in-process through {@link #takeDown}). Thread-safe.
 */
public final class TakenDownTitles {
    private final Set<String> takenDown = ConcurrentHashMap.newKeySet();
    private final Collection<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param titleId a title to take down (from now on every request for it is 404) */
    public void takeDown(String titleId) {
        if (takenDown.add(titleId)) {
            listeners.forEach(l -> l.accept(titleId));
        }
    }

    /** @param titleId a title to serve again */
    public void restore(String titleId) {
        takenDown.remove(titleId);
    }

    /** @param titleIds the full set of taken-down titles (initial load), replacing the current one */
    public void replaceAll(Collection<String> titleIds) {
        takenDown.retainAll(titleIds);
        titleIds.forEach(this::takeDown);
    }

    /**
     * @param titleId a title id
     * @return true when it is taken down
     */
    public boolean isTakenDown(String titleId) {
        return takenDown.contains(titleId);
    }

    /** @param listener told the id of each newly taken-down title (to drop cached keys) */
    public void onTakeDown(Consumer<String> listener) {
        listeners.add(listener);
    }
}
