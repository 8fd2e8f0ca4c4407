package herald.message;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Phone numbers through libphonenumber: parsing (international, or national with the account's
 * default region) to E.164, validity, type, country and the carrier that number ranges were
 * allocated to. Thread-safe; the metadata loads on first use, so call it off the event loop once at
 * start-up.
 */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final PhoneNumberToCarrierMapper CARRIERS =
      PhoneNumberToCarrierMapper.getInstance();

  /** A parsed number, or the reason it could not be used. */
  public record Parsed(String e164, PhoneNumber number, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  private PhoneNumbers() {}

  /** Loads the metadata; blocking, for a worker thread at start-up. */
  public static void warmUp() {
    parse("+14155550100", null);
    CARRIERS.getNameForNumber(parse("+447700900123", null).number(), Locale.ENGLISH);
  }

  /**
   * Parses {@code text}; national numbers need {@code defaultRegion} (ISO 3166, may be null). Only
   * numbers that are valid for their region are accepted.
   */
  public static Parsed parse(String text, String defaultRegion) {
    if (text == null || text.isBlank()) {
      return new Parsed(null, null, "phone number is empty");
    }
    if (text.length() > 64) {
      return new Parsed(null, null, "phone number is too long");
    }
    PhoneNumber number;
    try {
      number = UTIL.parse(text.trim(), defaultRegion == null ? "ZZ" : defaultRegion);
    } catch (NumberParseException e) {
      return new Parsed(
          null,
          null,
          text.trim().startsWith("+") || defaultRegion != null
              ? "not a phone number: " + e.getMessage()
              : "national number without a country: use +<country code> or set the account's default_region");
    }
    if (!UTIL.isValidNumber(number)) {
      return new Parsed(null, number, "not a valid number for " + regionOf(number));
    }
    return new Parsed(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), number, null);
  }

  /** Seed 003-style analysis of one number, for any country. */
  public static JsonObject analyze(String text, String defaultRegion) {
    Parsed parsed = parse(text, defaultRegion);
    JsonObject out = new JsonObject().put("input", text).put("valid", parsed.ok());
    if (parsed.number() != null) {
      PhoneNumber n = parsed.number();
      String carrier = CARRIERS.getNameForNumber(n, Locale.ENGLISH);
      out.put(
              "e164",
              parsed.ok() ? parsed.e164() : UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164))
          .put("country_code", n.getCountryCode())
          .put("region", regionOf(n))
          .put("number_type", UTIL.getNumberType(n).name().toLowerCase(Locale.ROOT))
          .put("carrier", carrier.isEmpty() ? null : carrier)
          .put("national_format", UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.NATIONAL))
          .put(
              "international_format",
              UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL));
    }
    if (!parsed.ok()) {
      out.put("error", parsed.error());
    }
    return out;
  }

  /**
   * The operator a number range was allocated to ({@code "Orange"}), with its region when the
   * carrier data has none ({@code "unknown (US)"}); for per-operator statistics.
   */
  public static String operator(String e164) {
    try {
      PhoneNumber n = UTIL.parse(e164, "ZZ");
      String carrier = CARRIERS.getNameForNumber(n, Locale.ENGLISH);
      return carrier.isEmpty() ? "unknown (" + regionOf(n) + ")" : carrier;
    } catch (NumberParseException e) {
      return "unknown";
    }
  }

  private static String regionOf(PhoneNumber number) {
    String region = UTIL.getRegionCodeForNumber(number);
    return region == null ? "ZZ" : region;
  }
}
