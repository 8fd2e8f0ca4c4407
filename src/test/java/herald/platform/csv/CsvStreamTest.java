package herald.platform.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV pulled from bytes in 64 KB chunks: UTF-8 checked by content, records and line numbers. */
class CsvStreamTest {
  private static List<CsvReader.Row> all(byte[] bytes) throws IOException {
    List<CsvReader.Row> rows = new ArrayList<>();
    try (CsvStream stream = new CsvStream(new ByteArrayInputStream(bytes), 1000)) {
      for (CsvReader.Row row = stream.next(); row != null; row = stream.next()) {
        rows.add(row);
      }
      assertThat(stream.bytesRead()).isEqualTo(bytes.length);
    }
    return rows;
  }

  @Test
  void readsRecordsAcrossChunksWithMultiByteCharactersCutAtTheBoundary() throws IOException {
    StringBuilder text = new StringBuilder("\uFEFFphone;nom\r\n");
    int rows = 0;
    while (text.length() < 200_000) {
      text.append("+3361234")
          .append(String.format("%04d", rows))
          .append(";Hélène €")
          .append("\r\n");
      rows++;
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    List<CsvReader.Row> read = all(bytes);
    assertThat(read).hasSize(rows + 1);
    assertThat(read.get(0).fields()).containsExactly("phone", "nom");
    assertThat(read.get(rows).fields())
        .containsExactly("+3361234" + String.format("%04d", rows - 1), "Hélène €");
    assertThat(read.get(rows).line()).isEqualTo(rows + 1);
  }

  @Test
  void aNulByteIsNotTextAndNamesItsOffset() {
    byte[] bytes = "phone\n+33612345678\n\0\0".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> all(bytes))
        .isInstanceOf(CsvStream.NotTextException.class)
        .hasMessageContaining("NUL byte at byte offset 19")
        .extracting(e -> ((CsvStream.NotTextException) e).offset())
        .isEqualTo(19L);
  }

  @Test
  void invalidUtf8IsNotTextAndNamesItsOffset() {
    byte[] latin1 = "phone,nom\n+33612345678,Hélène\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> all(latin1))
        .isInstanceOf(CsvStream.NotTextException.class)
        .hasMessageContaining("byte offset 24");
    byte[] cut = {'a', '\n', (byte) 0xE2, (byte) 0x82};
    assertThatThrownBy(() -> all(cut))
        .isInstanceOf(CsvStream.NotTextException.class)
        .hasMessageContaining("byte offset 2");
  }

  @Test
  void anUnterminatedQuoteFailsAtTheEndWithItsLine() {
    byte[] bytes =
        "phone,name\n+33612345678,\"open\n+33612345679,x\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> all(bytes))
        .isInstanceOf(CsvReader.CsvException.class)
        .hasMessageContaining("line 2 never ends");
  }
}
