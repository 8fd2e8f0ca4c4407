package herald.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import herald.channel.registry.Channels;
import herald.channel.sms.smpp.SmppType;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import herald.platform.http.JsonInput;
import herald.sender.Sender;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The provider registry: validation of sender settings, secrets kept apart, account keys. */
class ChannelsTest {
  private static final JsonObject SMPP =
      new JsonObject()
          .put("host", "127.0.0.1")
          .put("system_id", "herald")
          .put("password", "s3cr3t")
          .put("source_addr", "+15551230000");

  private static JsonInput input() {
    return JsonInput.of(new JsonObject(), Set.of());
  }

  private static ApiException refused(JsonInput in) {
    try {
      in.check();
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected field errors");
  }

  @Test
  void registersEachProviderOnItsChannel() {
    assertThat(Channels.providers("sms")).containsExactly("android", "smpp", "twilio");
    assertThat(Channels.providers("voice")).containsExactly("ari");
    assertThat(Channels.providers("whatsapp")).containsExactly("whatsapp_cloud");
    assertThat(Channels.channels()).containsExactly("sms", "voice", "whatsapp");
    assertThat(Channels.DEFAULT_CHANNEL).isEqualTo("sms");
    assertThat(Channels.type("smpp")).isInstanceOf(SmppType.class);
  }

  @Test
  void refusesAnUnknownProviderWithAFieldErrorOnProvider() {
    JsonInput in = input();
    assertThat(Channels.validate(in, "carrier-pigeon", new JsonObject(), Channels.Split.empty()))
        .isNull();
    ApiException e = refused(in);
    assertThat(e.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("provider", "invalid_value"));
    assertThat(e.errors().get(0).detail()).contains("android, ari, smpp, twilio");
  }

  @Test
  void refusesAKeyTheProviderDoesNotHaveAndBadValuesAsSettingsFieldErrors() {
    JsonInput in = input();
    JsonObject given = SMPP.copy().put("port", 70000).put("colour", "blue");
    assertThat(Channels.validate(in, "smpp", given, Channels.Split.empty())).isNull();
    assertThat(refused(in).errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("settings.colour", "settings.port");
  }

  @Test
  void keepsSecretsApartAndFillsDefaults() {
    JsonInput in = input();
    Channels.Split split = Channels.validate(in, "smpp", SMPP, Channels.Split.empty());
    in.check();
    assertThat(split.secrets().fieldNames()).containsExactly("password");
    assertThat(split.settings().fieldNames()).doesNotContain("password");
    assertThat(split.settings().getInteger("window")).isEqualTo(10);
    assertThat(split.settings().getInteger("port")).isEqualTo(2775);
  }

  @Test
  void neverRendersASecretInTheSenderViewOrInToString() {
    JsonInput in = input();
    Channels.Split split = Channels.validate(in, "smpp", SMPP, Channels.Split.empty());
    Sender sender =
        new Sender(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "smsc",
            "sms",
            "smpp",
            split.settings(),
            split.secrets(),
            10,
            false,
            true,
            null,
            null);
    ChannelSender view = sender.toChannelSender();
    SmppType.Settings typed = new SmppType().settings(view);
    assertThat(typed.password()).isEqualTo("s3cr3t");
    assertThat(sender.toJson().encode()).doesNotContain("s3cr3t");
    assertThat(sender.toString()).doesNotContain("s3cr3t");
    assertThat(view.toString()).doesNotContain("s3cr3t");
    assertThat(typed.toString()).doesNotContain("s3cr3t");
    assertThat(split.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aPatchKeepsTheStoredSecretWhenItIsNotGivenAgain() {
    JsonInput first = input();
    Channels.Split created = Channels.validate(first, "twilio", twilio(), Channels.Split.empty());
    JsonInput in = input();
    Channels.Split patched =
        Channels.validate(in, "twilio", new JsonObject().put("from", "+15550000002"), created);
    in.check();
    assertThat(patched.secrets().getString("auth_token")).isEqualTo("token");
    assertThat(patched.settings().getString("from")).isEqualTo("+15550000002");
  }

  @Test
  void sendersOfOneSmppLoginOrTwilioAccountShareAnAccountKeyAndDevicesDoNot() {
    ChannelSender a = smpp("herald");
    ChannelSender b = smpp("herald");
    ChannelSender c = smpp("other");
    assertThat(Channels.accountKey(a)).isEqualTo(Channels.accountKey(b));
    assertThat(Channels.accountKey(a)).isNotEqualTo(Channels.accountKey(c));
    JsonObject device = new JsonObject().put("device_url", "http://127.0.0.1:1");
    ChannelSender d1 = sender("android", device);
    ChannelSender d2 = sender("android", device);
    assertThat(Channels.accountKey(d1)).isNotEqualTo(Channels.accountKey(d2));
  }

  private static JsonObject twilio() {
    return new JsonObject()
        .put("account_sid", "AC" + "0123456789abcdef".repeat(2))
        .put("auth_token", "token")
        .put("from", "+15550000001");
  }

  private static ChannelSender smpp(String systemId) {
    return sender(
        "smpp",
        new JsonObject().put("host", "127.0.0.1").put("port", 2775).put("system_id", systemId));
  }

  private static ChannelSender sender(String provider, JsonObject settings) {
    return new ChannelSender(
        UUID.randomUUID(), UUID.randomUUID(), "s", "sms", provider, settings, new JsonObject());
  }

  @Test
  void everyRegisteredTypeDeclaresItsSecretsAmongItsKeys() {
    for (ProviderType<?> type : Channels.types()) {
      assertThat(type.keys()).containsAll(type.secretKeys());
      assertThat(type.secretKeys()).isNotEmpty();
    }
    assertThatThrownBy(() -> Channels.type("smpp").keys().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
