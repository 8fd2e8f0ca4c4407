package herald.contact;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written pieces the import reader relies on for speed, against what they replace. */
class ImportReaderTest {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

  @Test
  void theEmailCheckAgreesWithTheRegexItReplaces() {
    List<String> samples =
        List.of(
            "ann@example.com",
            "a@b.c",
            "a@.c",
            "a@b.",
            "a@bc",
            "@b.c",
            "a@@b.c",
            "a@b@c.d",
            "a b@c.d",
            "ab@c.d\t",
            "ab@c.d.e",
            "x".repeat(64) + "@b.c",
            "x".repeat(65) + "@b.c",
            "a.b@c",
            "a.b@c.",
            "é@ü.fr",
            "a@b..c",
            "",
            "@",
            ".",
            "a@\u000Bb.c");
    for (String text : samples) {
      assertThat(ContactInput.isEmail(text)).as(text).isEqualTo(EMAIL.matcher(text).matches());
    }
  }

  @Test
  void customFieldJsonIsValidWhateverTheText() {
    String tricky = "quote \" backslash \\ newline \n tab \t bell \u0007 nul-free é 😀";
    StringBuilder json = new StringBuilder("{");
    ImportReader.appendJsonString(json, "key").append(':');
    ImportReader.appendJsonString(json, tricky).append('}');
    assertThat(new JsonObject(json.toString()).getString("key")).isEqualTo(tricky);
  }

  @Test
  void thePhoneIndexNamesTheFirstRowOfANumberThroughGrowth() {
    PhoneIndex index = new PhoneIndex();
    for (int i = 0; i < 100_000; i++) {
      assertThat(index.putIfAbsent(PhoneIndex.key("+33612" + String.format("%06d", i)), i + 2))
          .isZero();
    }
    index.reserve(1_000_000);
    assertThat(index.putIfAbsent(PhoneIndex.key("+33612000000"), 999_999)).isEqualTo(2);
    assertThat(index.putIfAbsent(PhoneIndex.key("+33612099999"), 999_999)).isEqualTo(100_001);
    assertThat(index.size()).isEqualTo(100_000);
  }
}
