package herald.sim.whatsapp;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * A Graph API error as the Cloud API answers it: the HTTP status and the body {@code
 * {"error":{"message","type","code","error_subcode"?,"error_data":{"messaging_product","details"}?,
 * "fbtrace_id"}}}. Thrown by request handling and written by the simulator's failure handler.
 */
final class GraphError extends RuntimeException {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int status;
  private final int code;
  private final Integer subcode;
  private final String type;
  private final String details;

  GraphError(int status, int code, Integer subcode, String type, String message, String details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.subcode = subcode;
    this.type = type;
    this.details = details;
  }

  int status() {
    return status;
  }

  int code() {
    return code;
  }

  JsonObject toJson() {
    JsonObject error =
        new JsonObject().put("message", getMessage()).put("type", type).put("code", code);
    if (subcode != null) {
      error.put("error_subcode", subcode);
    }
    if (details != null) {
      error.put(
          "error_data",
          new JsonObject().put("messaging_product", "whatsapp").put("details", details));
    }
    return new JsonObject().put("error", error.put("fbtrace_id", traceId()));
  }

  /** A random trace id shaped like Graph's (base64, 23 characters). */
  static String traceId() {
    byte[] bytes = new byte[17];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 23);
  }

  /** 401, code 190: a missing, malformed or wrong access token. */
  static GraphError invalidToken() {
    return new GraphError(
        401,
        190,
        null,
        "OAuthException",
        "Invalid OAuth access token - Cannot parse access token",
        null);
  }

  /** 400, code 100, subcode 33: the id in the path names no object this token can reach. */
  static GraphError unknownObject(String method, String id) {
    return new GraphError(
        400,
        100,
        33,
        "GraphMethodException",
        "Unsupported "
            + method
            + " request. Object with ID '"
            + id
            + "' does not exist, cannot be loaded due to missing permissions, or does not support"
            + " this operation. Please read the Graph API documentation at"
            + " https://developers.facebook.com/docs/graph-api",
        null);
  }

  /** 400, code 2500: a path the Graph API does not have. */
  static GraphError unknownPath(String path) {
    return new GraphError(
        400, 2500, null, "OAuthException", "Unknown path components: " + path, null);
  }

  /** 400, code 100: a required Graph parameter is missing. */
  static GraphError requiredParameter(String name) {
    return new GraphError(
        400, 100, null, "OAuthException", "(#100) The parameter " + name + " is required.", null);
  }

  /** 400, code 100: a parameter has a value the Graph API refuses. */
  static GraphError invalidParameter(String details) {
    return new GraphError(400, 100, null, "OAuthException", "(#100) Invalid parameter", details);
  }

  /** 400, code 131008: a required parameter of the message is missing. */
  static GraphError missingMessageParameter(String details) {
    return new GraphError(
        400, 131008, null, "OAuthException", "(#131008) Required parameter is missing", details);
  }

  /** 400, code 131009: a parameter of the message has an invalid value. */
  static GraphError invalidMessageParameter(String details) {
    return new GraphError(
        400, 131009, null, "OAuthException", "(#131009) Parameter value is not valid", details);
  }

  /** 400, code 131047: a free-form message outside the customer-service window. */
  static GraphError reEngagement() {
    return new GraphError(
        400,
        131047,
        null,
        "OAuthException",
        "(#131047) Re-engagement message",
        Statuses.RE_ENGAGEMENT_DETAILS);
  }

  /** 400, code 130429: the phone number's message throughput is used up. */
  static GraphError rateLimited() {
    return new GraphError(
        400,
        130429,
        null,
        "OAuthException",
        "(#130429) Rate limit hit",
        "Cloud API message throughput has been reached.");
  }

  /** 500, code 131000: the simulated random failure. */
  static GraphError somethingWentWrong() {
    return new GraphError(
        500,
        131000,
        null,
        "OAuthException",
        "(#131000) Something went wrong",
        "Something went wrong. Please try again later.");
  }

  /** 404, code 132001: no approved template with this name in this language. */
  static GraphError templateNotFound(String name, String language) {
    return new GraphError(
        404,
        132001,
        null,
        "OAuthException",
        "(#132001) Template name does not exist in the translation",
        "template name (" + name + ") does not exist in " + language);
  }

  /** 400, code 132000: a component's parameter count differs from the template's. */
  static GraphError parameterCount(String component, int given, int expected) {
    return new GraphError(
        400,
        132000,
        null,
        "OAuthException",
        "(#132000) Number of parameters does not match the expected number of params",
        component
            + ": number of localizable_params ("
            + given
            + ") does not match the expected number of params ("
            + expected
            + ")");
  }

  /** 400, code 132015 or 132016: the template is paused or disabled. */
  static GraphError templateUnusable(String name, String status) {
    boolean paused = status.equals("PAUSED");
    return new GraphError(
        400,
        paused ? 132015 : 132016,
        null,
        "OAuthException",
        paused ? "(#132015) Template is Paused" : "(#132016) Template is disabled",
        "Template " + name + " is " + status.toLowerCase(Locale.ROOT) + ".");
  }

  /** 400, code 131053: an upload whose file the media service refuses. */
  static GraphError mediaUpload(String details) {
    return new GraphError(
        400, 131053, null, "OAuthException", "(#131053) Media upload error", details);
  }

  /** 500, code 1: an unexpected failure of the simulator itself. */
  static GraphError internal() {
    return new GraphError(500, 1, null, "OAuthException", "An unknown error occurred", null);
  }
}
