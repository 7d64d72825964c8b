package countapp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemReaderTest {
    private static List<ItemReader.Item> readAll(ItemReader reader) throws Exception {
        List<ItemReader.Item> items = new ArrayList<>();
        for (ItemReader.Item i = reader.next(); i != null; i = reader.next()) {
            items.add(i);
        }
        return items;
    }

    private static ItemReader json(String text) throws Exception {
        return ItemReader.fromJson(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "input");
    }

    @Test
    void fromArguments_tenantColonId_splitAtTheFirstColon() throws Exception {
        List<ItemReader.Item> items = readAll(ItemReader.fromArguments(List.of("acme:u-1", "acme:urn:x:1", "b:2")));

        assertThat(items).containsExactly(new ItemReader.Item("acme", "u-1"), new ItemReader.Item("acme", "urn:x:1"),
                new ItemReader.Item("b", "2"));
    }

    @Test
    void fromArguments_missingPart_usageError() {
        for (String bad : List.of("nocolon", ":id", "tenant:")) {
            assertThatThrownBy(() -> readAll(ItemReader.fromArguments(List.of(bad))))
                    .isInstanceOf(CliException.class).hasMessageContaining("expected TENANT:ID")
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
        }
    }

    @Test
    void fromJson_itemsWithTs_keepTheirTsAsGiven_andPostSendsIt() throws Exception {
        ItemReader reader = json("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":\"2026-11-28T10:00:00+01:00\"},"
                + "{\"id\":\"2\",\"tenant\":\"t\",\"ts\":1796292000000},{\"id\":\"3\",\"tenant\":\"t\"}]");

        List<ItemReader.Item> items = readAll(reader);

        assertThat(items).containsExactly(new ItemReader.Item("t", "1", "2026-11-28T10:00:00+01:00"),
                new ItemReader.Item("t", "2", 1796292000000L), new ItemReader.Item("t", "3"));
        countapp.model.ItemBatch batch = countapp.model.ItemBatch.of(new String[] {"t", "t", "t"}, new String[] {"1", "2", "3"});
        Object[] times = items.stream().map(ItemReader.Item::ts).toArray();
        assertThat(new String(countapp.api.Json.items(batch, new int[] {0, 1, 2}, 3, times),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("[{\"id\":\"1\",\"tenant\":\"t\","
                        + "\"ts\":\"2026-11-28T10:00:00+01:00\"},{\"id\":\"2\",\"tenant\":\"t\",\"ts\":1796292000000},"
                        + "{\"id\":\"3\",\"tenant\":\"t\"}]");
    }

    @Test
    void fromJson_tsOfAnotherType_refusedNamingTheLine() {
        assertThatThrownBy(() -> readAll(json("[{\"id\":\"1\",\"tenant\":\"t\",\"ts\":true}]")))
                .isInstanceOf(CliException.class).hasMessageContaining("\"ts\" must be");
    }

    @Test
    void fromJson_array_readsEveryObjectAndIgnoresOtherFields() throws Exception {
        ItemReader reader = json("[{\"id\":\"1\",\"tenant\":\"t1\"}, {\"tenant\":\"t2\",\"extra\":[1,{}],\"id\":\"2\"}]");

        assertThat(readAll(reader)).containsExactly(new ItemReader.Item("t1", "1"), new ItemReader.Item("t2", "2"));
        assertThat(reader.bytesRead()).isPositive();
    }

    @Test
    void fromJson_jsonLines_readsOneObjectPerLine() throws Exception {
        ItemReader reader = json("{\"id\":\"a\",\"tenant\":\"t\"}\n{\"id\":\"b\",\"tenant\":\"t\"}\n\n{\"id\":\"c\",\"tenant\":\"u\"}\n");

        assertThat(readAll(reader)).extracting(ItemReader.Item::id).containsExactly("a", "b", "c");
    }

    @Test
    void fromJson_emptyInput_noItems() throws Exception {
        assertThat(readAll(json(""))).isEmpty();
        assertThat(readAll(json("[]"))).isEmpty();
    }

    @Test
    void fromJson_badItem_namesLineAndItem() throws Exception {
        ItemReader reader = json("{\"id\":\"a\",\"tenant\":\"t\"}\n{\"id\":5,\"tenant\":\"t\"}\n");
        reader.next();

        assertThatThrownBy(reader::next).isInstanceOf(CliException.class)
                .hasMessageContaining("line 2").hasMessageContaining("item 2").hasMessageContaining("\"id\"");
    }

    @Test
    void fromJson_malformed_reportedNotThrownRaw() {
        assertThatThrownBy(() -> readAll(json("[{\"id\":\"a\",\"tenant\":\"t\"},")))
                .isInstanceOf(CliException.class).hasMessageContaining("input, line 1");
        assertThatThrownBy(() -> readAll(json("[\"x\"]"))).isInstanceOf(CliException.class)
                .hasMessageContaining("expected an {\"id\",\"tenant\"} object");
    }
}
