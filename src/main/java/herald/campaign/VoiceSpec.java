package herald.campaign;

import herald.call.CallOptions;
import herald.platform.http.JsonInput;
import herald.platform.pacing.RetrySchedule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a voice campaign does with each number: the call's content (a sound to play, recording, AMD,
 * ring timeout, channel variables rendered per recipient) and the dialler's settings (the
 * campaign's concurrent-call cap and calls per second under its sender's, which dispositions are
 * retried and after which delays, what to do when AMD hears a machine). Stored as the campaign's
 * {@code content} (a voice campaign has no text); the API shows it as {@code voice}.
 *
 * <p>The call's content is read like a single call's ({@link CallOptions}): exactly one of {@code
 * play}, {@code ivr_id} (snapshotted onto the campaign as {@code ivr} when it is created or
 * replaced) or {@code agent}, so each attempt runs the IVR or bridges the agent exactly as a single
 * call does.
 *
 * @param call the options of every attempt's call: {@code play} | {@code ivr} | {@code agent},
 *     {@code record}, {@code amd}, {@code timeout_seconds}, {@code variables} (values may hold
 *     {@code {{placeholders}}} filled from the recipient's data), {@code machine_action}, {@code
 *     machine_message}
 * @param maxConcurrentCalls calls of this campaign up at once (null: the sender's cap)
 * @param callsPerSecond calls this campaign starts a second (null: the sender's rate)
 * @param retryDelays RetrySchedule syntax: seconds before each retry, the last repeating
 * @param retryOn the dispositions that are retried while attempts are left
 */
record VoiceSpec(
    JsonObject call,
    Integer maxConcurrentCalls,
    Double callsPerSecond,
    RetrySchedule retryDelays,
    Set<String> retryOn) {

  static final Set<String> FIELDS =
      Set.of(
          "play",
          "ivr_id",
          "agent",
          "caller_id",
          "record",
          "amd",
          "timeout_seconds",
          "variables",
          "machine_action",
          "machine_message",
          "max_concurrent_calls",
          "calls_per_second",
          "retry_delays",
          "retry_on");
  static final Set<String> MACHINE_ACTIONS = Set.of("hangup", "message", "continue");
  static final Set<String> RETRYABLE = Set.of("busy", "no_answer", "failed");
  private static final Pattern MEDIA =
      Pattern.compile("^(sound|recording|number|digits|characters|tone):[^\\s]{1,490}$");

  /** The voice settings stored in a voice campaign's content column. */
  static VoiceSpec of(JsonObject stored) {
    JsonObject s = stored == null ? new JsonObject() : stored;
    List<Long> delays = new ArrayList<>();
    s.getJsonArray("retry_delays", new JsonArray().add(300)).forEach(d -> delays.add(num(d)));
    Set<String> on = new java.util.TreeSet<>();
    s.getJsonArray("retry_on", new JsonArray().add("busy").add("no_answer"))
        .forEach(d -> on.add(d.toString()));
    return new VoiceSpec(
        s.getJsonObject("call", new JsonObject()),
        s.getInteger("max_concurrent_calls"),
        s.getDouble("calls_per_second"),
        RetrySchedule.ofSeconds(delays.stream().mapToLong(Long::longValue).toArray()),
        on);
  }

  private static long num(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  /** The stored form (the campaign's content). */
  JsonObject stored() {
    JsonArray delays = new JsonArray();
    retryDelays.delays().forEach(d -> delays.add(d.toSeconds()));
    return new JsonObject()
        .put("call", call)
        .put("max_concurrent_calls", maxConcurrentCalls)
        .put("calls_per_second", callsPerSecond)
        .put("retry_delays", delays)
        .put("retry_on", new JsonArray(new ArrayList<>(retryOn)));
  }

  /** The API's view: the call's options and the dialler's settings in one object. */
  JsonObject toJson() {
    JsonObject out = call.copy();
    JsonObject ivr = (JsonObject) out.remove("ivr");
    if (ivr != null) {
      out.put("ivr_id", ivr.getString("id"));
    }
    JsonObject stored = stored();
    stored.remove("call");
    return out.mergeIn(stored);
  }

  /**
   * Reads {@code voice} of a campaign request; errors are reported on {@code in} as {@code
   * voice.field}.
   */
  static VoiceSpec read(JsonInput in, JsonObject v, int retryDelaySeconds) {
    for (String key : v.fieldNames()) {
      if (!FIELDS.contains(key)) {
        in.error("voice." + key, "unknown_field", "Unknown field '" + key + "'");
      }
    }
    List<herald.platform.http.FieldError> errors = new ArrayList<>();
    JsonObject call = CallOptions.read(v, "voice.", true, true, errors);
    errors.forEach(e -> in.error(e.field(), e.code(), e.detail()));
    Object callerId = v.getValue("caller_id");
    if (callerId instanceof String text && !text.isBlank() && text.length() <= 128) {
      call.put("caller_id", text.strip());
    } else if (callerId != null) {
      in.error(
          "voice.caller_id",
          "invalid_value",
          "'caller_id' is the calls' caller ID: a text of 1 to 128 such as \"Name\" <+15550100>");
    }
    String action = string(in, v, "machine_action");
    if (action != null && !MACHINE_ACTIONS.contains(action)) {
      in.error(
          "voice.machine_action",
          "invalid_value",
          "'machine_action' is hangup, message or continue");
    }
    action = action == null ? "hangup" : action;
    call.put("machine_action", action);
    String message = string(in, v, "machine_message");
    if ("message".equals(action) && message == null) {
      in.error(
          "voice.machine_message",
          "required",
          "machine_action 'message' plays 'machine_message' (a media URI) to the machine");
    } else if (message != null && !MEDIA.matcher(message).matches()) {
      in.error("voice.machine_message", "invalid_value", "'machine_message' must be a media URI");
    } else if (message != null) {
      call.put("machine_message", message);
    }
    if (!"hangup".equals(action) && !Boolean.TRUE.equals(call.getBoolean("amd"))) {
      in.error(
          "voice.machine_action",
          "amd_required",
          "a machine action other than hangup needs 'amd': true");
    }
    Integer cap = integer(in, v, "max_concurrent_calls", 1, 1000);
    Double cps = null;
    Object rate = v.getValue("calls_per_second");
    if (rate instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1000) {
      cps = n.doubleValue();
    } else if (rate != null) {
      in.error("voice.calls_per_second", "invalid_value", "'calls_per_second' is 0 < n <= 1000");
    }
    List<Long> delays = new ArrayList<>();
    Object given = v.getValue("retry_delays");
    if (given instanceof JsonArray list && !list.isEmpty() && list.size() <= 20) {
      for (Object d : list) {
        if (d instanceof Integer || d instanceof Long) {
          long secs = ((Number) d).longValue();
          if (secs >= 0 && secs <= 7 * 86_400) {
            delays.add(secs);
            continue;
          }
        }
        in.error(
            "voice.retry_delays",
            "invalid_value",
            "'retry_delays' is a list of 1 to 20 whole seconds (0 to 604800), the last repeating");
        break;
      }
    } else if (given != null) {
      in.error(
          "voice.retry_delays",
          "invalid_value",
          "'retry_delays' is a list of 1 to 20 whole seconds (0 to 604800), the last repeating");
    }
    if (delays.isEmpty()) {
      delays.add((long) retryDelaySeconds);
    }
    Set<String> retryOn = new java.util.TreeSet<>(Set.of("busy", "no_answer"));
    Object on = v.getValue("retry_on");
    if (on instanceof JsonArray list) {
      retryOn.clear();
      for (Object d : list) {
        if (d instanceof String s && RETRYABLE.contains(s)) {
          retryOn.add(s);
        } else {
          in.error(
              "voice.retry_on",
              "invalid_value",
              "'retry_on' lists dispositions among busy, no_answer and failed");
          break;
        }
      }
    } else if (on != null) {
      in.error("voice.retry_on", "invalid_value", "'retry_on' must be a list");
    }
    return new VoiceSpec(
        call,
        cap,
        cps,
        RetrySchedule.ofSeconds(delays.stream().mapToLong(Long::longValue).toArray()),
        retryOn);
  }

  private static String string(JsonInput in, JsonObject v, String field) {
    Object value = v.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > 500) {
      in.error("voice." + field, "invalid_value", "'" + field + "' must be a text of 1 to 500");
      return null;
    }
    return s;
  }

  private static Integer integer(JsonInput in, JsonObject v, String field, int min, int max) {
    Object value = v.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Integer i) || i < min || i > max) {
      in.error("voice." + field, "invalid_value", "'" + field + "' must be " + min + " to " + max);
      return null;
    }
    return i;
  }
}
