package herald.call;

import herald.call.ivr.Ivr;
import herald.call.ivr.IvrDefinition;
import herald.call.ivr.IvrStore;
import herald.platform.http.ApiException;
import herald.platform.http.FieldError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a call does once answered, read the same way for a single call ({@code POST /api/v1/calls})
 * and for every attempt of a voice campaign ({@code voice} of a campaign): one of {@code play} (an
 * ARI media URI), {@code ivr_id} (an IVR of the account, snapshotted onto the call as {@code ivr}),
 * or {@code agent} (an agent leg bridged to the callee), plus {@code record}, {@code amd}, {@code
 * timeout_seconds} and channel {@code variables}. Field errors are named with the caller's prefix
 * ({@code ""} for a call, {@code "voice."} for a campaign).
 */
public final class CallOptions {
  /** The fields read here. */
  public static final Set<String> FIELDS =
      Set.of("play", "ivr_id", "agent", "record", "amd", "timeout_seconds", "variables");

  private static final Pattern VARIABLE = Pattern.compile("^[A-Za-z_][A-Za-z0-9_()]{0,63}$");
  private static final Pattern MEDIA =
      Pattern.compile("^(sound|recording|number|digits|characters|tone):[^\\s]{1,490}$");
  private static final int MAX_VARIABLES = 32;

  private CallOptions() {}

  /**
   * The options of {@code v} (only the fields of {@link #FIELDS} are looked at): {@code record},
   * {@code amd}, {@code timeout_seconds} (default 30), {@code variables} (default empty) and the
   * one action given, with {@code ivr_id} kept as given until {@link #withIvr} replaces it by the
   * IVR's snapshot.
   *
   * @param templated whether values may hold {@code {{placeholders}}} filled later (a campaign's)
   * @param actionRequired whether one of play, ivr_id and agent must be given
   */
  public static JsonObject read(
      JsonObject v,
      String prefix,
      boolean templated,
      boolean actionRequired,
      List<FieldError> errors) {
    JsonObject out = new JsonObject();
    String play = text(v, "play", prefix, errors);
    if (play != null && !MEDIA.matcher(play).matches() && !(templated && play.contains("{{"))) {
      errors.add(
          new FieldError(
              prefix + "play",
              "invalid_value",
              "'play' must be an ARI media URI such as sound:hello-world or recording:greeting"));
      play = null;
    }
    String ivrText = text(v, "ivr_id", prefix, errors);
    UUID ivrId = null;
    if (ivrText != null) {
      try {
        ivrId = UUID.fromString(ivrText);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(prefix + "ivr_id", "invalid_value", "'ivr_id' is an IVR id"));
      }
    }
    JsonObject agent = null;
    if (v.getValue("agent") != null) {
      agent = IvrDefinition.agent(v.getValue("agent"), prefix + "agent", errors);
    }
    int actions =
        (v.getValue("play") != null ? 1 : 0)
            + (v.getValue("ivr_id") != null ? 1 : 0)
            + (v.getValue("agent") != null ? 1 : 0);
    if (actions > 1) {
      errors.add(
          new FieldError(
              prefix + "ivr_id",
              "conflict",
              "a call does one thing when answered: at most one of 'play', 'ivr_id', 'agent'"));
    } else if (actions == 0 && actionRequired) {
      errors.add(
          new FieldError(
              prefix + "play",
              "required",
              "say what each call does when answered: one of 'play', 'ivr_id' or 'agent'"));
    }
    if (play != null) {
      out.put("play", play);
    }
    if (ivrId != null) {
      out.put("ivr_id", ivrId.toString());
    }
    if (agent != null) {
      out.put("agent", agent);
    }
    out.put("record", bool(v, "record", prefix, errors));
    out.put("amd", bool(v, "amd", prefix, errors));
    Object timeout = v.getValue("timeout_seconds");
    if (timeout == null) {
      out.put("timeout_seconds", 30);
    } else if ((timeout instanceof Integer || timeout instanceof Long)
        && ((Number) timeout).longValue() >= 1
        && ((Number) timeout).longValue() <= 600) {
      out.put("timeout_seconds", ((Number) timeout).intValue());
    } else {
      errors.add(
          new FieldError(
              prefix + "timeout_seconds",
              "invalid_value",
              "'timeout_seconds' must be a whole number from 1 to 600"));
    }
    out.put("variables", variables(v.getValue("variables"), prefix, templated, errors));
    return out;
  }

  private static JsonObject variables(
      Object value, String prefix, boolean templated, List<FieldError> errors) {
    JsonObject out = new JsonObject();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonObject given)) {
      errors.add(
          new FieldError(prefix + "variables", "invalid_type", "'variables' must be an object"));
      return out;
    }
    if (given.size() > MAX_VARIABLES) {
      errors.add(
          new FieldError(
              prefix + "variables", "invalid_value", "at most " + MAX_VARIABLES + " variables"));
    }
    for (String name : given.fieldNames()) {
      Object v = given.getValue(name);
      if (!VARIABLE.matcher(name).matches()
          || !(v instanceof String text)
          || text.length() > 1024) {
        errors.add(
            new FieldError(
                prefix + "variables." + name,
                "invalid_value",
                "a variable is a channel variable name with a string value of up to 1024"
                    + " characters"
                    + (templated
                        ? " ({{placeholders}} are filled from the recipient's data)"
                        : "")));
      } else {
        out.put(name, text);
      }
    }
    return out;
  }

  /**
   * Replaces {@code ivr_id} of read options by a snapshot of the account's IVR ({@code ivr}: its
   * definition and id), so that editing or deleting the IVR later never changes a call already
   * asked for; a 422 naming {@code field} when the IVR is not the account's. Options without an
   * {@code ivr_id} are answered as they are.
   */
  public static Future<JsonObject> withIvr(
      IvrStore ivrs, UUID accountId, JsonObject options, String field) {
    String ivrId = options.getString("ivr_id");
    if (ivrId == null) {
      return Future.succeededFuture(options);
    }
    return ivrs.get(accountId, UUID.fromString(ivrId))
        .map(
            found -> {
              if (found == null) {
                throw ApiException.validation(
                    field, "invalid_value", "'ivr_id' must name an IVR of this account");
              }
              JsonObject out = options.copy();
              out.remove("ivr_id");
              out.put("ivr", snapshot(found));
              return out;
            });
  }

  private static JsonObject snapshot(Ivr ivr) {
    return ivr.definition().copy().put("id", ivr.id().toString());
  }

  private static String text(JsonObject v, String field, String prefix, List<FieldError> errors) {
    Object value = v.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > 500) {
      errors.add(
          new FieldError(
              prefix + field, "invalid_value", "'" + field + "' must be a text of 1 to 500"));
      return null;
    }
    return s.strip();
  }

  private static boolean bool(JsonObject v, String field, String prefix, List<FieldError> errors) {
    Object value = v.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      errors.add(
          new FieldError(prefix + field, "invalid_type", "'" + field + "' must be true or false"));
      return false;
    }
    return Boolean.TRUE.equals(value);
  }
}
