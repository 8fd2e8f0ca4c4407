package herald.channel.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signature Herald reuses to verify Twilio webhooks, against Twilio's own worked example. */
class TwilioSignatureTest {
  // The worked example of Twilio's webhook security documentation (auth token 12345).
  private static final String TOKEN = "12345";
  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final String SIGNATURE = "GvWf1cFY/Q7PnoempGyD5oXAezc=";
  private static final Map<String, String> PARAMS =
      Map.of(
          "CallSid", "CA1234567890ABCDE",
          "Caller", "+14158675310",
          "Digits", "1234",
          "From", "+14158675310",
          "To", "+18005551212");

  @Test
  void computesTheSignatureOfTwiliosDocumentedExample() {
    assertThat(TwilioSignature.compute(TOKEN, URL, PARAMS)).isEqualTo(SIGNATURE);
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    PARAMS.forEach(form::add);
    assertThat(TwilioSignature.compute(TOKEN, URL, form)).isEqualTo(SIGNATURE);
  }

  @Test
  void verifiesOnlyTheExactParamsUrlAndToken() {
    assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, SIGNATURE)).isTrue();
    Map<String, String> tampered = new HashMap<>(PARAMS);
    tampered.put("Digits", "9999");
    assertThat(TwilioSignature.verify(TOKEN, URL, tampered, SIGNATURE)).isFalse();
    assertThat(TwilioSignature.verify("54321", URL, PARAMS, SIGNATURE)).isFalse();
    assertThat(TwilioSignature.verify(TOKEN, URL.replace("https", "http"), PARAMS, SIGNATURE))
        .isFalse();
    assertThat(TwilioSignature.verify(TOKEN, URL, PARAMS, null)).isFalse();
  }

  @Test
  void toleratesAnAddedDefaultPortLikeTwiliosValidators() {
    String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";

    assertThat(TwilioSignature.verify(TOKEN, withPort, PARAMS, SIGNATURE)).isTrue();
    assertThat(
            TwilioSignature.verify(
                TOKEN, URL, PARAMS, TwilioSignature.compute(TOKEN, withPort, PARAMS)))
        .isTrue();
  }

  @Test
  void signsEveryValueOfARepeatedNameInValueOrder() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("B", "2").add("A", "z").add("A", "y");

    assertThat(TwilioSignature.compute(TOKEN, URL, form))
        .isEqualTo(TwilioSignature.compute(TOKEN, URL + "AyAzB2", Map.of()));
  }
}
