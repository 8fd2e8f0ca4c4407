package herald.channel.sms.twilio;

import io.vertx.core.MultiMap;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature, the {@code X-Twilio-Signature} header on every webhook (status
 * callbacks and inbound messages): {@code base64(HMAC-SHA1(authToken, url + name1 + value1 + name2
 * + value2 ...))}, where {@code url} is the full URL Twilio requested (scheme, host, port if given,
 * path and query string, exactly as configured) and the POST parameters are appended with their
 * names in ascending {@link String#compareTo} order (case-sensitive), each name directly followed
 * by its decoded value, without separators. A name sent several times contributes name+value once
 * per value, values in ascending order.
 *
 * <p>Stateless and thread-safe.
 */
public final class TwilioSignature {
  /** The header that carries the signature. */
  public static final String HEADER = "X-Twilio-Signature";

  private static final String ALGORITHM = "HmacSHA1";

  private TwilioSignature() {}

  /**
   * Computes the signature of a request with single-valued parameters.
   *
   * @param authToken the account's auth token, the HMAC key
   * @param url the full URL the request was sent to
   * @param params the form parameters, decoded; null means none (a GET or a JSON body)
   * @return the base64 signature, as it appears in the header
   */
  public static String compute(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    if (params != null) {
      new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    }
    return hmac(authToken, data.toString());
  }

  /**
   * Computes the signature of a request whose form may repeat a name (for example {@code
   * MediaUrl0}, or a list parameter), as read with {@code request.formAttributes()}.
   */
  public static String compute(String authToken, String url, MultiMap params) {
    StringBuilder data = new StringBuilder(url);
    if (params != null) {
      for (String name : new TreeSet<>(params.names())) {
        List<String> values = new ArrayList<>(params.getAll(name));
        values.sort(null);
        values.forEach(value -> data.append(name).append(value));
      }
    }
    return hmac(authToken, data.toString());
  }

  /**
   * Checks a received signature in constant time. Like Twilio's own validators, also accepts a
   * signature made over the same URL with the port removed, or with the scheme's default port
   * added, because proxies in front of the receiver often change that part.
   *
   * @return false when {@code signature} is null or matches none of the URL forms
   */
  public static boolean verify(
      String authToken, String url, Map<String, String> params, String signature) {
    if (signature == null) {
      return false;
    }
    boolean valid = false;
    for (String candidate : urlForms(url)) {
      valid |= equal(compute(authToken, candidate, params), signature);
    }
    return valid;
  }

  /** {@link #verify(String, String, Map, String)} for a form that may repeat a name. */
  public static boolean verify(String authToken, String url, MultiMap params, String signature) {
    if (signature == null) {
      return false;
    }
    boolean valid = false;
    for (String candidate : urlForms(url)) {
      valid |= equal(compute(authToken, candidate, params), signature);
    }
    return valid;
  }

  private static boolean equal(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** The URL as given, without its port, and with the scheme's default port. */
  private static Set<String> urlForms(String url) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(url);
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return forms;
      }
      String scheme = uri.getScheme().toLowerCase();
      int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
      forms.add(rebuild(uri, -1));
      if (uri.getPort() == -1 && defaultPort != -1) {
        forms.add(rebuild(uri, defaultPort));
      }
    } catch (URISyntaxException e) {
      // Not parseable: only the URL exactly as given can match.
    }
    return forms;
  }

  private static String rebuild(URI uri, int port) {
    StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
    if (uri.getRawUserInfo() != null) {
      out.append(uri.getRawUserInfo()).append('@');
    }
    out.append(uri.getHost());
    if (port != -1) {
      out.append(':').append(port);
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    }
    if (uri.getRawQuery() != null) {
      out.append('?').append(uri.getRawQuery());
    }
    if (uri.getRawFragment() != null) {
      out.append('#').append(uri.getRawFragment());
    }
    return out.toString();
  }

  private static String hmac(String authToken, String data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // HmacSHA1 is mandatory in every Java platform; this cannot happen.
      throw new IllegalStateException(e);
    }
  }
}
