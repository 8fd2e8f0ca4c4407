package herald.platform.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV reader: separators, quoting, BOM, blank lines, and text arriving in pieces. */
class CsvReaderTest {
  private static List<CsvReader.Row> read(String... pieces) {
    List<CsvReader.Row> rows = new ArrayList<>();
    CsvReader reader = new CsvReader(rows::add, 10_000);
    for (String piece : pieces) {
      reader.feed(piece);
    }
    reader.end();
    return rows;
  }

  private static List<List<String>> fields(List<CsvReader.Row> rows) {
    return rows.stream().map(CsvReader.Row::fields).toList();
  }

  @Test
  void quotedFieldsKeepSeparatorsLineBreaksAndDoubledQuotes() {
    List<CsvReader.Row> rows =
        read(
            "phone,name\r\n+33612345678,\"Dupont, \"\"Jean\"\"\nsecond line\"\r\n\r\n+33612345679,Ann");
    assertThat(fields(rows))
        .containsExactly(
            List.of("phone", "name"),
            List.of("+33612345678", "Dupont, \"Jean\"\nsecond line"),
            List.of("+33612345679", "Ann"));
    assertThat(rows.get(1).line()).isEqualTo(2);
    assertThat(rows.get(2).line()).isEqualTo(5);
  }

  @Test
  void semicolonsAndTabsAreDetectedAndTheBomIsDropped() {
    assertThat(fields(read("\uFEFFnom;telephone;ville\nJean;0612345678;Lyon, Rhône\n")))
        .containsExactly(
            List.of("nom", "telephone", "ville"), List.of("Jean", "0612345678", "Lyon, Rhône"));
    assertThat(fields(read("a\tb\n1\t2"))).containsExactly(List.of("a", "b"), List.of("1", "2"));
  }

  @Test
  void piecesMaySplitAnywhere() {
    String text = "phone;name\n\"+33 6 12\";\"a\"\"b\"\n+33612345679;c\n";
    List<List<String>> whole = fields(read(text));
    for (int cut = 1; cut < text.length(); cut++) {
      assertThat(fields(read(text.substring(0, cut), text.substring(cut)))).isEqualTo(whole);
    }
  }

  @Test
  void anUnterminatedQuoteOrTextAfterAClosingQuoteFailsWithItsLine() {
    assertThatThrownBy(() -> read("a,b\n1,\"open\n2,3\n"))
        .isInstanceOf(CsvReader.CsvException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> read("a,b\n\"x\"y,2\n"))
        .isInstanceOf(CsvReader.CsvException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void emptyInputHasNoRows() {
    assertThat(read("")).isEmpty();
    assertThat(read("\n\n")).isEmpty();
  }
}
