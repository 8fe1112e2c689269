package dev.kino.control.catalog;

import dev.kino.control.InvalidTokenException;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestApi;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Access#loadAll} (the viewers of a batch of votes, one statement) answers what {@link Access#load} answers
 * for each caller, one by one: the same permissions, maximum age and profile; nothing for a caller whose account or
 * profile is gone (which {@code load} refuses).
 */
class AccessLoadAllTest {
    final TestApi.Node api = TestApi.inProcess();
    final Jdbi jdbi = SharedDatabase.get().jdbi();
    final Access access = new Access(jdbi, null, p -> (UUID) p);

    @Test
    void theViewersOfABatchAreThoseReadOneByOne() {
        TestApi.User member = api.newUser();
        TestApi.User moderator = api.withRole(api.newUser(), "moderator");
        TestApi.User admin = api.withRole(api.newUser(), "admin");
        // a second profile with a stricter maturity, and an account with a limit of its own
        UUID kids = UUID.randomUUID();
        jdbi.useHandle(h -> h.execute("insert into profiles (id, account_id, name, maturity, is_primary, created_at,"
                + " updated_at) values (?, ?, 'Kids', 'kids', false, now(), now())", kids, member.id()));
        jdbi.useHandle(h -> h.execute("update accounts set maturity = 'teen' where id = ?", moderator.id()));
        UUID primary = jdbi.withHandle(h -> h.createQuery("select id from profiles where account_id = ? and is_primary")
                .bind(0, member.id()).mapTo(UUID.class).one());

        List<Access.Caller> present = List.of(new Access.Caller(member.id(), null),
                new Access.Caller(member.id(), kids), new Access.Caller(member.id(), primary),
                new Access.Caller(moderator.id(), null), new Access.Caller(admin.id(), null));
        List<Access.Caller> gone = List.of(new Access.Caller(UUID.randomUUID(), null),
                new Access.Caller(member.id(), UUID.randomUUID()), new Access.Caller(admin.id(), kids));
        List<Access.Caller> all = new ArrayList<>(present);
        all.addAll(gone);
        all.add(present.get(0)); // twice in one batch

        Map<Access.Caller, Viewer> batch = jdbi.withHandle(h -> Access.loadAll(h, all));
        for (Access.Caller c : present) {
            assertEquals(access.load(c.accountId(), c.profileId()), batch.get(c), c.toString());
        }
        for (Access.Caller c : gone) {
            assertFalse(batch.containsKey(c), c.toString());
            assertThrows(InvalidTokenException.class, () -> access.load(c.accountId(), c.profileId()));
        }
        assertEquals(present.size(), batch.size());
        // the readings differ where they should (so the comparison above is not between empty viewers)
        assertEquals(kids, batch.get(present.get(1)).profileId());
        assertEquals(primary, batch.get(present.get(0)).profileId());
        assertFalse(batch.get(present.get(0)).can(Viewer.CATALOG_WRITE));
        assertEquals(true, batch.get(present.get(4)).can(Viewer.CATALOG_WRITE));
        assertEquals(true, batch.get(present.get(3)).can(dev.kino.control.auth.Permissions.COMMENTS_MODERATE));
        assertFalse(batch.get(present.get(1)).maxAge() == batch.get(present.get(0)).maxAge(), "kids profile is stricter");
    }
}
