package dev.kino.control.search;

import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The binary form of {@link SearchIndex.Stored} kept in the index's {@code doc} and {@code sdoc} binary doc values:
 * fields in a fixed order, strings as a variable-length byte count and UTF-8 (Lucene's {@code DataOutput#writeString}),
 * counts and numbers as variable-length integers, the title's id as two longs.
 *
 * <p>Why not JSON: every rendered hit and suggestion reads its title's form, and Jackson's parsing of it (field names,
 * a bean built through its constructor) was a fifth of a suggestion's CPU time in the profile; this is read field by
 * field with no names. The layout is private to one index (rebuilt from PostgreSQL at every start), so it carries no
 * version. Lists and maps read back in their written order; a null list or map is written as an empty one.
 *
 * <pre>
 * id: 2 × long | kind: string? | year: vInt (0: none, else year + 1) | minAge: vInt | originalTitle: string?
 * | originalLanguage: string? | names: vInt n, n × (language, name, spans) | genres, tags, studios, people: vInt n,
 * n × string | synopses: vInt n, n × (language, text)          (string?: a byte 0 for null, 1 then the string)
 * spans (the name's words, {@link Highlighter#spans}): vInt s, s × (vInt start, vInt end − start, key: string)</pre>
 *
 * <p>The names' word spans are kept so that rendering a hit does not split, fold and key every name of every hit
 * again (and read its Japanese with Kuromoji): the highlighter compares the query's keys with the kept ones.
 */
final class StoredCodec {
    private StoredCodec() {
    }

    static byte[] encode(SearchIndex.Stored s) {
        ByteBuffersDataOutput out = new ByteBuffersDataOutput();
        try {
            out.writeLong(s.id().getMostSignificantBits());
            out.writeLong(s.id().getLeastSignificantBits());
            nullable(out, s.kind());
            out.writeVInt(s.year() == null ? 0 : s.year() + 1);
            out.writeVInt(s.minAge());
            nullable(out, s.originalTitle());
            nullable(out, s.originalLanguage());
            List<List<String>> names = s.names() == null ? List.of() : s.names();
            out.writeVInt(names.size());
            for (int i = 0; i < names.size(); i++) {
                List<String> n = names.get(i);
                out.writeString(n.get(0));
                out.writeString(n.get(1));
                List<Highlighter.Span> spans = s.nameSpans() != null && i < s.nameSpans().size()
                        ? s.nameSpans().get(i) : Highlighter.spans(n.get(1));
                out.writeVInt(spans.size());
                for (Highlighter.Span span : spans) {
                    out.writeVInt(span.start());
                    out.writeVInt(span.end() - span.start());
                    out.writeString(span.key());
                }
            }
            for (List<String> list : List.of(orEmpty(s.genres()), orEmpty(s.tags()), orEmpty(s.studios()),
                    orEmpty(s.people()))) {
                out.writeVInt(list.size());
                for (String v : list) {
                    out.writeString(v);
                }
            }
            Map<String, String> synopses = s.synopses() == null ? Map.of() : s.synopses();
            out.writeVInt(synopses.size());
            for (Map.Entry<String, String> e : synopses.entrySet()) {
                out.writeString(e.getKey());
                out.writeString(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory output
        }
        return out.toArrayCopy();
    }

    static SearchIndex.Stored decode(BytesRef b) {
        try {
            return read(new ByteArrayDataInput(b.bytes, b.offset, b.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory input
        }
    }

    private static SearchIndex.Stored read(ByteArrayDataInput in) throws IOException {
        UUID id = new UUID(in.readLong(), in.readLong());
        String kind = nullable(in);
        int year = in.readVInt();
        int minAge = in.readVInt();
        String originalTitle = nullable(in);
        String originalLanguage = nullable(in);
        int n = in.readVInt();
        List<List<String>> names = new ArrayList<>(n);
        List<List<Highlighter.Span>> nameSpans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(List.of(in.readString(), in.readString()));
            int count = in.readVInt();
            List<Highlighter.Span> spans = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                int start = in.readVInt();
                spans.add(new Highlighter.Span(start, start + in.readVInt(), in.readString()));
            }
            nameSpans.add(spans);
        }
        List<String> genres = strings(in);
        List<String> tags = strings(in);
        List<String> studios = strings(in);
        List<String> people = strings(in);
        int s = in.readVInt();
        Map<String, String> synopses = new LinkedHashMap<>();
        for (int i = 0; i < s; i++) {
            synopses.put(in.readString(), in.readString());
        }
        return new SearchIndex.Stored(id, kind, year == 0 ? null : year - 1, minAge, originalTitle, originalLanguage,
                names, genres, tags, studios, people, synopses, nameSpans);
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static void nullable(ByteBuffersDataOutput out, String s) {
        if (s == null) {
            out.writeByte((byte) 0);
        } else {
            out.writeByte((byte) 1);
            out.writeString(s);
        }
    }

    private static String nullable(ByteArrayDataInput in) throws IOException {
        return in.readByte() == 0 ? null : in.readString();
    }

    private static List<String> strings(ByteArrayDataInput in) throws IOException {
        int n = in.readVInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }
}
