package herald.phone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The E.164 shortcut agrees with libphonenumber's full parse everywhere it answers. */
class PhoneNumbersTest {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  /** Example numbers of every region and type, written in E.164 and with extra digits. */
  private static List<String> samples() {
    List<String> out = new ArrayList<>();
    for (String region : UTIL.getSupportedRegions()) {
      for (PhoneNumberType type : PhoneNumberType.values()) {
        PhoneNumber example = UTIL.getExampleNumberForType(region, type);
        if (example != null) {
          String e164 = UTIL.format(example, PhoneNumberUtil.PhoneNumberFormat.E164);
          out.add(e164);
          out.add(e164 + "1");
          out.add(e164.substring(0, e164.length() - 1));
          // national prefix written after the country code, as people do: "+33 0612..."
          String prefix = UTIL.getNddPrefixForRegion(region, true);
          if (prefix != null) {
            String code = Integer.toString(example.getCountryCode());
            out.add("+" + code + prefix + e164.substring(1 + code.length()));
          }
        }
      }
    }
    for (int code : UTIL.getSupportedGlobalNetworkCallingCodes()) {
      PhoneNumber example = UTIL.getExampleNumberForNonGeoEntity(code);
      if (example != null) {
        out.add(UTIL.format(example, PhoneNumberUtil.PhoneNumberFormat.E164));
      }
    }
    out.addAll(List.of("+5491123456789", "+525512345678", "+5215512345678", "+390612345678"));
    return out;
  }

  @Test
  void theE164ShortcutGivesWhatTheFullParseGives() throws Exception {
    int shortcut = 0;
    List<String> samples = samples();
    for (String text : samples) {
      PhoneNumbers.Parsed fast = PhoneNumbers.canonical(text);
      if (fast == null) {
        continue;
      }
      shortcut++;
      PhoneNumber full = UTIL.parse(text, "ZZ");
      assertThat(UTIL.isValidNumber(full)).as(text).isTrue();
      assertThat(fast.e164())
          .as(text)
          .isEqualTo(UTIL.format(full, PhoneNumberUtil.PhoneNumberFormat.E164));
      assertThat(fast.number().getCountryCode()).as(text).isEqualTo(full.getCountryCode());
      assertThat(fast.number().getNationalNumber()).as(text).isEqualTo(full.getNationalNumber());
    }
    assertThat(shortcut).as("numbers that took the shortcut").isGreaterThan(samples.size() / 4);
    assertThat(PhoneNumbers.canonical("+33612345678")).isNotNull();
    assertThat(PhoneNumbers.canonical("+33 612345678")).isNull();
    assertThat(PhoneNumbers.canonical("+3361234")).isNull();
    assertThat(PhoneNumbers.parse("+3361234", null).error())
        .startsWith("not a valid number for FR");
  }
}
