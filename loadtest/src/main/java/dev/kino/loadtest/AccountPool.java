package dev.kino.loadtest;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The run's signed-in accounts, lent to one virtual user at a time. A user who finds the pool empty carries on
 * as a guest (only free items play then), so a run with more users than accounts still runs; without a plan an
 * account holds one concurrent stream, which is why each viewer needs an account of its own.
 */
public final class AccountPool {
    private final ConcurrentLinkedQueue<Account> free;
    private final int size;

    /** @param accounts signed-in accounts */
    public AccountPool(List<Account> accounts) {
        this.free = new ConcurrentLinkedQueue<>(accounts);
        this.size = accounts.size();
    }

    /** @return a free account, or null (the user is a guest) */
    public Account take() {
        return free.poll();
    }

    /** @param a an account taken from this pool, or null */
    public void release(Account a) {
        if (a != null) {
            free.add(a);
        }
    }

    /** @return how many accounts the pool has */
    public int size() {
        return size;
    }
}
