package herald.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One A/B variant of a campaign's content: a message or a template, sent to {@code percentage} of
 * the recipients.
 */
public record Variant(String name, String message, UUID templateId, int percentage) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("message", message)
        .put("template_id", templateId == null ? null : templateId.toString())
        .put("percentage", percentage);
  }

  static List<Variant> fromJson(JsonArray array) {
    List<Variant> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        JsonObject v = array.getJsonObject(i);
        out.add(
            new Variant(
                v.getString("name"),
                v.getString("message"),
                v.getString("template_id") == null
                    ? null
                    : UUID.fromString(v.getString("template_id")),
                v.getInteger("percentage")));
      }
    }
    return out;
  }

  static JsonArray toJson(List<Variant> variants) {
    JsonArray out = new JsonArray();
    variants.forEach(v -> out.add(v.toJson()));
    return out;
  }

  /**
   * The variant a recipient gets: a stable hash of campaign and phone number picks a bucket 0..99,
   * and the variants own consecutive ranges of buckets by percentage. A recipient gets the same
   * variant on every retry, after a restart, and in every run of a recurring campaign (whose runs
   * hash with the recurring campaign's id), whatever order recipients are sent in.
   */
  static Variant assign(List<Variant> variants, UUID campaignId, String phoneNumber) {
    int bucket = bucket(campaignId, phoneNumber);
    int upTo = 0;
    for (Variant v : variants) {
      upTo += v.percentage();
      if (bucket < upTo) {
        return v;
      }
    }
    return variants.get(variants.size() - 1);
  }

  static int bucket(UUID campaignId, String phoneNumber) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((campaignId + "/" + phoneNumber).getBytes(StandardCharsets.UTF_8));
      long value =
          ((hash[0] & 0xffL) << 24)
              | ((hash[1] & 0xffL) << 16)
              | ((hash[2] & 0xffL) << 8)
              | (hash[3] & 0xffL);
      return (int) (value % 100);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
