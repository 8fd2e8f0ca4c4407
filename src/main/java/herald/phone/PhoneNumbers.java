package herald.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

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
    Parsed canonical = canonical(text);
    if (canonical != null) {
      return canonical;
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

  /**
   * The shortcut for text already in E.164 ({@code +} and digits), which bulk inputs (imports,
   * batch sends) mostly are: the same country code and national number as {@link
   * PhoneNumberUtil#parse} finds, checked with {@code isValidNumber}, at a fraction of the cost
   * (parsing is most of it). Null, to take the full path, for anything else: other characters, a
   * national number starting with 0 (Italian leading zeros), a country whose national prefix could
   * be stripped from it, non-geographic codes, or an invalid number (so errors read the same).
   */
  static Parsed canonical(String text) {
    int length = text.length();
    if (length < 4 || length > 16 || text.charAt(0) != '+') {
      return null;
    }
    for (int i = 1; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    if (text.charAt(1) == '0') {
      return null;
    }
    // As libphonenumber extracts it: the shortest prefix that is a calling code.
    for (int digits = 1; digits <= 3; digits++) {
      int code = Integer.parseInt(text, 1, 1 + digits, 10);
      if (!CALLING_CODES.contains(code)) {
        continue;
      }
      String national = text.substring(1 + digits);
      NationalPrefix prefix = NATIONAL_PREFIXES.computeIfAbsent(code, PhoneNumbers::prefixFor);
      if (national.isEmpty()
          || national.charAt(0) == '0'
          || !prefix.geographic()
          || (prefix.pattern() != null && prefix.pattern().matcher(national).lookingAt())) {
        return null;
      }
      PhoneNumber number =
          new PhoneNumber().setCountryCode(code).setNationalNumber(Long.parseLong(national));
      return UTIL.isValidNumber(number) ? new Parsed(text, number, null) : null;
    }
    return null;
  }

  private static final java.util.Set<Integer> CALLING_CODES = UTIL.getSupportedCallingCodes();

  /**
   * The national prefix libphonenumber would try to strip after a calling code ({@code pattern},
   * null when there is none); non-geographic codes are left to the full path.
   */
  private record NationalPrefix(boolean geographic, Pattern pattern) {}

  private static final Map<Integer, NationalPrefix> NATIONAL_PREFIXES = new ConcurrentHashMap<>();

  private static NationalPrefix prefixFor(int code) {
    String region = UTIL.getRegionCodeForCountryCode(code);
    if (region.equals(PhoneNumberUtil.REGION_CODE_FOR_NON_GEO_ENTITY) || region.equals("ZZ")) {
      return new NationalPrefix(false, null);
    }
    PhoneMetadata metadata =
        DefaultMetadataDependenciesProvider.getInstance()
            .getPhoneNumberMetadataSource()
            .getMetadataForRegion(region);
    String prefix = metadata == null ? "" : metadata.getNationalPrefixForParsing();
    return new NationalPrefix(metadata != null, prefix.isEmpty() ? null : Pattern.compile(prefix));
  }

  /** Seed 003-style analysis of one number, for any country. */
  public static JsonObject analyze(String text, String defaultRegion) {
    Parsed parsed = parse(text, defaultRegion);
    JsonObject out = new JsonObject().put("input", text).put("valid", parsed.ok());
    if (parsed.number() != null) {
      PhoneNumber n = parsed.number();
      String carrier = CARRIERS.getNameForNumber(n, Locale.ENGLISH);
      PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(n);
      out.put(
              "e164",
              parsed.ok() ? parsed.e164() : UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164))
          .put("country_code", n.getCountryCode())
          .put("region", regionOf(n))
          .put("number_type", type.name().toLowerCase(Locale.ROOT))
          .put("sms_capable", smsCapable(type))
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
   * Whether a number of this type can take an SMS: true for mobile ranges and for regions whose
   * plan does not tell mobile from fixed ranges (the North American plan: {@code
   * fixed_line_or_mobile}, where most numbers are mobile and carriers text-enable landlines); false
   * for fixed lines, toll-free, premium, shared-cost and pager ranges; null when the type is
   * unknown.
   */
  static Boolean smsCapable(PhoneNumberUtil.PhoneNumberType type) {
    return switch (type) {
      case MOBILE, FIXED_LINE_OR_MOBILE, PERSONAL_NUMBER -> true;
      case UNKNOWN -> null;
      default -> false;
    };
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
