package dev.kino.control.catalog;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code seasons}: the only class with SQL on it. Every method joins the caller's transaction; the rules
 * (only a series has seasons, a season with published episodes stays) are the {@link Catalog}'s.
 */
public final class SeasonStore {

    /**
     * A row of {@code seasons}.
     *
     * @param id season id
     * @param titleId its series
     * @param number season number, 0 for specials
     * @param name its name, or null
     */
    public record SeasonRow(UUID id, UUID titleId, int number, String name) {
    }

    /**
     * Creates the season, or renames it when {@code name} is given and the number exists.
     *
     * @return the season's id
     */
    public UUID upsert(Handle h, UUID titleId, int number, String name) {
        h.createUpdate("""
                insert into seasons (id, title_id, number, name) values (:id, :t, :n, :name)
                on conflict (title_id, number) do update set name = coalesce(excluded.name, seasons.name)""")
                .bind("id", UUID.randomUUID()).bind("t", titleId).bind("n", number).bind("name", name).execute();
        return h.createQuery("select id from seasons where title_id = :t and number = :n").bind("t", titleId)
                .bind("n", number).mapTo(UUID.class).one();
    }

    /** @return the season, its row locked for update */
    public Optional<SeasonRow> lock(Handle h, UUID seasonId) {
        return h.createQuery("select * from seasons where id = :id for update").bind("id", seasonId)
                .map((rs, ctx) -> new SeasonRow(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                        rs.getInt("number"), rs.getString("name"))).findOne();
    }

    /** Deletes a season; its episodes go with it (the foreign key cascades). */
    public void delete(Handle h, UUID seasonId) {
        h.createUpdate("delete from seasons where id = :id").bind("id", seasonId).execute();
    }

    /** @return the title's seasons in number order */
    public List<SeasonRow> ofTitle(Handle h, UUID titleId) {
        return h.createQuery("select * from seasons where title_id = :id order by number").bind("id", titleId)
                .map((rs, ctx) -> new SeasonRow(rs.getObject("id", UUID.class), rs.getObject("title_id", UUID.class),
                        rs.getInt("number"), rs.getString("name"))).list();
    }

    /** @return how many seasons the title has */
    public int count(Handle h, UUID titleId) {
        return h.createQuery("select count(*) from seasons where title_id = :id").bind("id", titleId).mapTo(int.class).one();
    }
}
