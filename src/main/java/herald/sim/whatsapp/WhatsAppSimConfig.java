package herald.sim.whatsapp;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one {@link WhatsAppSimulator}: the simulated WhatsApp Business Account, its phone
 * numbers and templates, where status and inbound webhooks go, and how messages behave. Validated
 * on construction: an invalid value fails fast with {@link IllegalArgumentException}. Start from
 * {@link #defaults()} and change what a test needs with {@link #toBuilder()}.
 *
 * @param host interface to bind, normally {@code 127.0.0.1}
 * @param port TCP port; {@code 0} picks a free one (read it back with {@link
 *     WhatsAppSimulator#port()})
 * @param accessToken the one access token the API accepts as {@code Authorization: Bearer}
 * @param appSecret the app secret: key of the {@code X-Hub-Signature-256} HMAC on every webhook
 * @param wabaId the WhatsApp Business Account id: the {@code entry[].id} of webhooks and the node
 *     whose {@code message_templates} can be listed
 * @param phoneNumbers the business phone numbers of the account (at least one); sends and uploads
 *     through any other phone-number id fail
 * @param webhookUrl where webhooks are POSTed; null sends none (it can also be set at run time)
 * @param verifyToken the token the simulator sends in the {@code GET} verification handshake
 * @param latency added before every API answer; zero for none
 * @param failureRate fraction (0..1) of otherwise valid sends answered 500 with error 131000
 * @param messagesPerSecond sends per second allowed per phone number before error 130429; 0 for no
 *     limit
 * @param sentDelay time from the API answer to the {@code sent} status webhook
 * @param deliveredDelay time from {@code sent} to {@code delivered} (or {@code failed})
 * @param readDelay time from {@code delivered} to {@code read}
 * @param readRate fraction (0..1) of delivered messages that are then read
 * @param undeliverableRate fraction (0..1) of accepted messages that end {@code failed} with error
 *     131026
 * @param undeliverableNumbers WhatsApp ids (digits only) that are not on WhatsApp: every message to
 *     them ends {@code failed} with error 131026
 * @param customerServiceWindow how long after a user's last inbound message free-form messages to
 *     that user are allowed (24 hours at Meta)
 * @param windowErrors how a free-form message outside the window fails
 * @param webhookRetries how many times a webhook that was not answered 2xx is sent again
 * @param webhookRetryDelay the delay before the first retry; each further retry waits twice as long
 * @param duplicateRate fraction (0..1) of webhooks delivered twice, as Meta sometimes does
 * @param templates the templates the account holds
 */
public record WhatsAppSimConfig(
    String host,
    int port,
    String accessToken,
    String appSecret,
    String wabaId,
    List<PhoneNumber> phoneNumbers,
    String webhookUrl,
    String verifyToken,
    Duration latency,
    double failureRate,
    int messagesPerSecond,
    Duration sentDelay,
    Duration deliveredDelay,
    Duration readDelay,
    double readRate,
    double undeliverableRate,
    int undeliverableCode,
    Set<String> undeliverableNumbers,
    Duration customerServiceWindow,
    WindowErrors windowErrors,
    int webhookRetries,
    Duration webhookRetryDelay,
    double duplicateRate,
    List<TemplateDefinition> templates) {

  /** How a free-form message to a user outside the customer-service window fails. */
  public enum WindowErrors {
    /**
     * As the Cloud API does: the send is answered 200 with a message id, then a {@code failed}
     * status webhook carries error 131047 (Re-engagement message).
     */
    WEBHOOK,
    /** The send itself is answered 400 with error 131047 and no message is created. */
    RESPONSE
  }

  /**
   * One business phone number.
   *
   * @param id the phone-number id used in API paths (digits)
   * @param displayPhoneNumber the number as shown to users (digits), sent in webhook metadata
   */
  public record PhoneNumber(String id, String displayPhoneNumber) {
    /** Validates both fields: digits only. */
    public PhoneNumber {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(displayPhoneNumber, "displayPhoneNumber");
      if (!id.matches("^[0-9]{1,20}$") || !displayPhoneNumber.matches("^[0-9]{5,15}$")) {
        throw new IllegalArgumentException("phone number id and display number must be digits");
      }
    }
  }

  /** Validates every field; see the record's parameters. */
  public WhatsAppSimConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(appSecret, "appSecret");
    Objects.requireNonNull(wabaId, "wabaId");
    Objects.requireNonNull(verifyToken, "verifyToken");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(sentDelay, "sentDelay");
    Objects.requireNonNull(deliveredDelay, "deliveredDelay");
    Objects.requireNonNull(readDelay, "readDelay");
    Objects.requireNonNull(customerServiceWindow, "customerServiceWindow");
    Objects.requireNonNull(windowErrors, "windowErrors");
    Objects.requireNonNull(webhookRetryDelay, "webhookRetryDelay");
    phoneNumbers = List.copyOf(Objects.requireNonNull(phoneNumbers, "phoneNumbers"));
    undeliverableNumbers =
        Set.copyOf(Objects.requireNonNull(undeliverableNumbers, "undeliverableNumbers"));
    templates = List.copyOf(Objects.requireNonNull(templates, "templates"));
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (!accessToken.matches("^[A-Za-z0-9\\-_.]+$")) {
      throw new IllegalArgumentException("accessToken must be letters, digits, '-', '_' or '.'");
    }
    if (appSecret.isEmpty()) {
      throw new IllegalArgumentException("appSecret must not be empty");
    }
    if (!wabaId.matches("^[0-9]{1,20}$")) {
      throw new IllegalArgumentException("wabaId must be digits");
    }
    if (phoneNumbers.isEmpty()) {
      throw new IllegalArgumentException("phoneNumbers must hold at least one number");
    }
    if (phoneNumbers.stream().map(PhoneNumber::id).distinct().count() != phoneNumbers.size()) {
      throw new IllegalArgumentException("phone number ids must be unique");
    }
    if (webhookUrl != null) {
      requireHttpUrl(webhookUrl);
    }
    for (Duration d : List.of(latency, sentDelay, deliveredDelay, readDelay, webhookRetryDelay)) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("delays must not be negative");
      }
    }
    if (customerServiceWindow.isNegative() || customerServiceWindow.isZero()) {
      throw new IllegalArgumentException("customerServiceWindow must be positive");
    }
    if (messagesPerSecond < 0) {
      throw new IllegalArgumentException("messagesPerSecond must not be negative");
    }
    if (webhookRetries < 0 || webhookRetries > 10) {
      throw new IllegalArgumentException("webhookRetries must be 0..10");
    }
    requireFraction("failureRate", failureRate);
    requireFraction("readRate", readRate);
    requireFraction("undeliverableRate", undeliverableRate);
    if (!Statuses.FAILURES.containsKey(undeliverableCode)) {
      throw new IllegalArgumentException(
          "undeliverableCode must be one of " + Statuses.FAILURES.keySet());
    }
    requireFraction("duplicateRate", duplicateRate);
    for (String number : undeliverableNumbers) {
      if (!number.matches("^[0-9]{5,15}$")) {
        throw new IllegalArgumentException("undeliverableNumbers must be digits: " + number);
      }
    }
    Set<String> keys = new HashSet<>();
    for (TemplateDefinition t : templates) {
      if (!keys.add(t.name() + "/" + t.language())) {
        throw new IllegalArgumentException("duplicate template " + t.name() + "/" + t.language());
      }
    }
  }

  /**
   * A simulator on a free loopback port for one account ({@code 102290129340398}) with one phone
   * number ({@code 106540352242922}, shown as {@code 15550783881}), no webhook URL, Meta's 24-hour
   * window, no rate limit or failures, statuses {@code sent}, {@code delivered} and {@code read}
   * 100 ms apart, two retries of an unanswered webhook, and three approved templates: {@code
   * hello_world} (en_US, utility, no parameters), {@code order_update} (en_US, utility, two body
   * parameters) and {@code seasonal_offer} (en_US, marketing, one body parameter, an image header
   * and one quick-reply button).
   */
  public static WhatsAppSimConfig defaults() {
    Duration step = Duration.ofMillis(100);
    return new WhatsAppSimConfig(
        "127.0.0.1",
        0,
        "EAAHeraldSimulatorAccessToken",
        "herald-simulator-app-secret",
        "102290129340398",
        List.of(new PhoneNumber("106540352242922", "15550783881")),
        null,
        "herald-simulator-verify-token",
        Duration.ZERO,
        0.0,
        0,
        step,
        step,
        step,
        1.0,
        0.0,
        131026,
        Set.of(),
        Duration.ofHours(24),
        WindowErrors.WEBHOOK,
        2,
        Duration.ofMillis(200),
        0.0,
        List.of(
            TemplateDefinition.approved("hello_world", "en_US", "UTILITY", 0),
            TemplateDefinition.approved("order_update", "en_US", "UTILITY", 2),
            new TemplateDefinition("seasonal_offer", "en_US", "MARKETING", "APPROVED", 1, 1, 1)));
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The phone number with this id, or null. */
  PhoneNumber phoneNumber(String id) {
    return phoneNumbers.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
  }

  static void requireHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("webhookUrl must be an absolute http(s) URL: " + url);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("webhookUrl is not a URL: " + url, e);
    }
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
    }
  }

  /** Changes some values of a configuration; {@link #build()} validates the result. */
  public static final class Builder {
    private String host;
    private int port;
    private String accessToken;
    private String appSecret;
    private String wabaId;
    private List<PhoneNumber> phoneNumbers;
    private String webhookUrl;
    private String verifyToken;
    private Duration latency;
    private double failureRate;
    private int messagesPerSecond;
    private Duration sentDelay;
    private Duration deliveredDelay;
    private Duration readDelay;
    private double readRate;
    private double undeliverableRate;
    private int undeliverableCode;
    private Set<String> undeliverableNumbers;
    private Duration customerServiceWindow;
    private WindowErrors windowErrors;
    private int webhookRetries;
    private Duration webhookRetryDelay;
    private double duplicateRate;
    private List<TemplateDefinition> templates;

    private Builder(WhatsAppSimConfig c) {
      host = c.host;
      port = c.port;
      accessToken = c.accessToken;
      appSecret = c.appSecret;
      wabaId = c.wabaId;
      phoneNumbers = c.phoneNumbers;
      webhookUrl = c.webhookUrl;
      verifyToken = c.verifyToken;
      latency = c.latency;
      failureRate = c.failureRate;
      messagesPerSecond = c.messagesPerSecond;
      sentDelay = c.sentDelay;
      deliveredDelay = c.deliveredDelay;
      readDelay = c.readDelay;
      readRate = c.readRate;
      undeliverableRate = c.undeliverableRate;
      undeliverableCode = c.undeliverableCode;
      undeliverableNumbers = c.undeliverableNumbers;
      customerServiceWindow = c.customerServiceWindow;
      windowErrors = c.windowErrors;
      webhookRetries = c.webhookRetries;
      webhookRetryDelay = c.webhookRetryDelay;
      duplicateRate = c.duplicateRate;
      templates = c.templates;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder accessToken(String value) {
      accessToken = value;
      return this;
    }

    public Builder appSecret(String value) {
      appSecret = value;
      return this;
    }

    public Builder wabaId(String value) {
      wabaId = value;
      return this;
    }

    public Builder phoneNumbers(List<PhoneNumber> value) {
      phoneNumbers = value;
      return this;
    }

    public Builder webhookUrl(String value) {
      webhookUrl = value;
      return this;
    }

    public Builder verifyToken(String value) {
      verifyToken = value;
      return this;
    }

    public Builder latency(Duration value) {
      latency = value;
      return this;
    }

    public Builder failureRate(double value) {
      failureRate = value;
      return this;
    }

    public Builder messagesPerSecond(int value) {
      messagesPerSecond = value;
      return this;
    }

    /** Sets the delays before {@code sent}, {@code delivered} and {@code read}. */
    public Builder statusDelays(Duration sent, Duration delivered, Duration read) {
      sentDelay = sent;
      deliveredDelay = delivered;
      readDelay = read;
      return this;
    }

    public Builder readRate(double value) {
      readRate = value;
      return this;
    }

    public Builder undeliverableRate(double value) {
      undeliverableRate = value;
      return this;
    }

    /** Sets the share of messages that fail and the error code they fail with. */
    public Builder undeliverable(double rate, int code) {
      undeliverableRate = rate;
      undeliverableCode = code;
      return this;
    }

    public Builder undeliverableNumbers(Set<String> value) {
      undeliverableNumbers = value;
      return this;
    }

    public Builder customerServiceWindow(Duration value) {
      customerServiceWindow = value;
      return this;
    }

    public Builder windowErrors(WindowErrors value) {
      windowErrors = value;
      return this;
    }

    /** Sets how often and how soon an unanswered webhook is sent again. */
    public Builder webhookRetries(int retries, Duration firstDelay) {
      webhookRetries = retries;
      webhookRetryDelay = firstDelay;
      return this;
    }

    public Builder duplicateRate(double value) {
      duplicateRate = value;
      return this;
    }

    public Builder templates(List<TemplateDefinition> value) {
      templates = value;
      return this;
    }

    /** The validated configuration. */
    public WhatsAppSimConfig build() {
      return new WhatsAppSimConfig(
          host,
          port,
          accessToken,
          appSecret,
          wabaId,
          phoneNumbers,
          webhookUrl,
          verifyToken,
          latency,
          failureRate,
          messagesPerSecond,
          sentDelay,
          deliveredDelay,
          readDelay,
          readRate,
          undeliverableRate,
          undeliverableCode,
          undeliverableNumbers,
          customerServiceWindow,
          windowErrors,
          webhookRetries,
          webhookRetryDelay,
          duplicateRate,
          templates);
    }
  }
}
